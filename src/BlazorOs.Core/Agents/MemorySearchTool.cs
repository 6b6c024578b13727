using System.ComponentModel;
using System.Text.Json;
using BlazorOs.Core.Memory;
using Microsoft.SemanticKernel;

namespace BlazorOs.Core.Agents;

/// <summary>The <c>memory.search</c> tool: facts whose subject, predicate or value contain the query.</summary>
internal sealed class MemorySearchTool(FactService facts)
{
    public const string PluginName = "memory";
    public const int MaxLimit = 50;

    [KernelFunction("search")]
    [Description("Searches the business memory for facts whose subject, predicate or value contains the query. Newest first, as a JSON array.")]
    public async Task<string> SearchAsync(
        [Description("Text to look for, e.g. a company or person name")] string query,
        [Description("How many facts at most (1 to 50)")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        var found = await facts.ListAsync(query, scope: null, Math.Clamp(limit, 1, MaxLimit), cancellationToken);
        var hits = found.Select(f => new FactHit(f.Subject, f.Predicate, f.Value.ToString(),
            f.ValueKind.ToString().ToLowerInvariant(), f.Scope, f.Confidence, f.UpdatedAt));
        return JsonSerializer.Serialize(hits, JsonSerializerOptions.Web);
    }

    private sealed record FactHit(string Subject, string Predicate, string Value, string Kind, string Scope,
        double Confidence, DateTime UpdatedAt);
}
