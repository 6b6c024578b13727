using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorOs.Core.Memory;
using Microsoft.SemanticKernel;

namespace BlazorOs.Core.Agents;

/// <summary>
/// The <c>memory.search</c> tool: ranked full-text recall (<see cref="MemorySearch"/>) over facts, decisions, records and
/// summaries, only from the scopes the playbook may read. Asking for another scope is refused with a message the model
/// can act on; the refusal is the tool's answer, not a failure of the step. The run's own working notes that hold the
/// words come first (<c>tier: working</c>), unless a scope is asked for.
/// </summary>
internal sealed class MemorySearchTool(MemorySearch search, MemoryScopeSet readable,
    Func<string?, int, CancellationToken, Task<IReadOnlyList<WorkingNote>>>? workingNotes = null)
{
    public const string PluginName = "memory";
    public const int MaxLimit = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [KernelFunction("search")]
    [Description("Searches the business memory (facts, decisions, records, summaries) for the query's words, best matches first, as a JSON array.")]
    public async Task<string> SearchAsync(
        [Description("Words to look for, e.g. a company or person name")] string query,
        [Description("How many items at most (1 to 50)")] int limit = 10,
        [Description("Only this kind: fact, decision, record or summary; empty for all")] string? type = null,
        [Description("Only this privacy scope; empty for every scope you may read")] string? scope = null,
        CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(scope) && !readable.Allows(scope))
        {
            return JsonSerializer.Serialize(new { error = $"This step may not read memory scope '{scope}'. It may read: {readable}." }, Json);
        }

        try
        {
            limit = Math.Clamp(limit, 1, MaxLimit);
            var notes = workingNotes is not null && string.IsNullOrWhiteSpace(scope) && (string.IsNullOrWhiteSpace(type) || type == MemoryItemTypes.Fact)
                ? await workingNotes(query, limit, cancellationToken)
                : [];
            var found = notes.Count < limit
                ? await search.SearchAsync(new MemoryQuery(query, string.IsNullOrWhiteSpace(type) ? null : type,
                    string.IsNullOrWhiteSpace(scope) ? null : scope, limit - notes.Count) { Readable = readable }, cancellationToken)
                : [];
            return JsonSerializer.Serialize(notes.Select(Note).Concat(found.Select(Hit)), Json);
        }
        catch (MemoryValidationException ex)
        {
            return JsonSerializer.Serialize(new { error = ex.Message }, Json);
        }
    }

    private static ToolHit Note(WorkingNote n) =>
        new(MemoryItemTypes.Fact, n.Title, n.Value, null, n.At, n.Subject, n.Predicate, n.Value, Tier: "working");

    private static ToolHit Hit(MemoryHit h) => h.Fact is { } f
        ? new ToolHit(h.Type, h.Title, h.Text, h.Scope, h.UpdatedAt, f.Subject, f.Predicate, f.Value.ToString(), f.ValueKind.ToString().ToLowerInvariant(),
            f.Confidence)
        : new ToolHit(h.Type, h.Title, h.Text, h.Scope, h.UpdatedAt);

    private sealed record ToolHit(string Type, string Title, string Text, string? Scope, DateTime UpdatedAt, string? Subject = null,
        string? Predicate = null, string? Value = null, string? Kind = null, double? Confidence = null, string? Tier = null);
}
