using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>Builds what templates and scripts see from the store: inputs, the latest output of each finished step.</summary>
internal sealed class StepScopeLoader(IDbContextFactory<BlazorOsDbContext> dbFactory)
{
    public async Task<RunScope> LoadAsync(RunContext run, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var finished = await db.StepRuns.AsNoTracking()
            .Where(s => s.RunId == run.RunId && (s.Status == StepStatus.Completed || s.Status == StepStatus.Skipped) && s.EndedAt != null)
            .Select(s => new { s.NodeId, s.OutputJson, s.EndedAt })
            .ToListAsync(cancellationToken);
        var outputs = finished
            .GroupBy(s => s.NodeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Parse(g.OrderBy(s => s.EndedAt).Last().OutputJson), StringComparer.Ordinal);
        return new RunScope((JsonObject)run.Inputs.DeepClone(), outputs, [], run.RunJson());
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
