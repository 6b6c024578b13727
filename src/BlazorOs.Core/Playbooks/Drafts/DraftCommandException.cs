namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>A command the draft refuses, with the reason to show (a connection rule, a taken id); nothing changed.</summary>
public sealed class DraftCommandException(string message) : Exception(message);
