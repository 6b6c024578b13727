namespace BlazorOs.Core.Data;

/// <summary>The database cannot be used; the message tells the operator why and what to do. Nothing was changed.</summary>
public sealed class DatabaseStartupException(string message, Exception? inner = null) : Exception(message, inner);
