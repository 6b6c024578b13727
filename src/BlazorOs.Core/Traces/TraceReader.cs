using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Traces;

/// <summary>
/// Reads a run's committed trace by sequence number: the whole trace for export, or what a subscriber missed
/// (everything after the last number it saw) when it joins or reconnects.
/// </summary>
public sealed class TraceReader(IDbContextFactory<BlazorOsDbContext> dbFactory)
{
    /// <summary>How many events one catch-up returns at most; a client far behind asks again from the last one.</summary>
    public const int PageSize = 5000;

    public async Task<IReadOnlyList<TraceMessage>> ReadAfterAsync(Guid runId, long afterSequence, int limit = PageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.TraceEvents.AsNoTracking()
            .Where(e => e.RunId == runId && e.Sequence > afterSequence)
            .OrderBy(e => e.Sequence)
            .Take(Math.Clamp(limit, 1, PageSize))
            .ToListAsync(cancellationToken);
        return [.. events.Select(TraceMessage.From)];
    }

    public async Task<bool> RunExistsAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken);
    }
}
