using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>Builds what templates and scripts see: inputs and the latest output of each finished step.</summary>
internal sealed class StepScopeLoader(IDbContextFactory<BlazorOsDbContext> dbFactory)
{
    public async Task<RunScope> LoadAsync(RunContext run, CancellationToken cancellationToken)
    {
        var outputs = await run.Outputs.GetAsync(token => ReadAsync(run.RunId, token), cancellationToken);
        // Parsed for every step: an activity that changes what it was given cannot change what the next one sees.
        return new RunScope((JsonObject)run.Inputs.DeepClone(), outputs.ToDictionary(o => o.Key, o => Parse(o.Value), StringComparer.Ordinal),
            [], run.RunJson());
    }

    private async Task<IReadOnlyDictionary<string, string?>> ReadAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var finished = await db.StepRuns.AsNoTracking()
            .Where(s => s.RunId == runId && (s.Status == StepStatus.Completed || s.Status == StepStatus.Skipped) && s.EndedAt != null)
            .Select(s => new { s.NodeId, s.OutputJson, s.EndedAt })
            .ToListAsync(cancellationToken);
        return finished
            .GroupBy(s => s.NodeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.EndedAt).Last().OutputJson, StringComparer.Ordinal);
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
