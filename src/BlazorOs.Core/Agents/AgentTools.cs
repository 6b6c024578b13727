using Microsoft.SemanticKernel;

namespace BlazorOs.Core.Agents;

/// <summary>
/// The tools an agent step may be allowed, by the names playbooks use. Each is a Semantic Kernel plugin
/// function; the model sees it as <c>plugin-function</c> (<c>memory-search</c>, <c>http-get</c>).
/// </summary>
public static class AgentTools
{
    public const string MemorySearch = "memory.search";
    public const string HttpGet = "http.get";

    public static IReadOnlyList<string> All { get; } = [MemorySearch, HttpGet];

    /// <summary>Our name for an SK function: <c>memory.search</c> for plugin <c>memory</c>, function <c>search</c>.</summary>
    internal static string NameOf(string? pluginName, string functionName) =>
        string.IsNullOrEmpty(pluginName) ? functionName : $"{pluginName}.{functionName}";

    internal static string NameOf(KernelFunction function) => NameOf(function.PluginName, function.Name);
}
