using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>
/// Turns item ids into <see cref="MemoryHit"/>s (no score) with their provenance: one query per item type present. Search and
/// the explorer both page ids first and load only the page, so each shows an item the same way.
/// </summary>
internal static class MemoryItemLoader
{
    public static async Task<Dictionary<Guid, MemoryHit>> LoadAsync(BlazorOsDbContext db, IReadOnlyCollection<(string Type, Guid Id)> items,
        CancellationToken cancellationToken)
    {
        List<Guid> Ids(string type) => [.. items.Where(i => i.Type == type).Select(i => i.Id)];
        var hits = new Dictionary<Guid, MemoryHit>();
        if (Ids(MemoryItemTypes.Fact) is { Count: > 0 } factIds)
        {
            foreach (var f in await db.Facts.AsNoTracking().Include(f => f.Provenance).Where(f => factIds.Contains(f.Id)).ToListAsync(cancellationToken))
            {
                hits[f.Id] = new MemoryHit(MemoryItemTypes.Fact, f.Id, $"{f.Subject} {f.Predicate}", f.Value.ToString(), f.Scope, f.UpdatedAt, null,
                    f.Provenance) { Fact = f };
            }
        }

        if (Ids(MemoryItemTypes.Decision) is { Count: > 0 } decisionIds)
        {
            foreach (var d in await db.Decisions.AsNoTracking().Include(d => d.Provenance).Where(d => decisionIds.Contains(d.Id)).ToListAsync(cancellationToken))
            {
                hits[d.Id] = new MemoryHit(MemoryItemTypes.Decision, d.Id, d.Title, d.Rationale ?? string.Empty, d.Scope, d.UpdatedAt, null,
                    d.Provenance) { Decision = d };
            }
        }

        if (Ids(MemoryItemTypes.Record) is { Count: > 0 } recordIds)
        {
            foreach (var r in await db.Records.AsNoTracking().Include(r => r.Type).Include(r => r.Provenance).Where(r => recordIds.Contains(r.Id))
                .ToListAsync(cancellationToken))
            {
                hits[r.Id] = new MemoryHit(MemoryItemTypes.Record, r.Id, r.Title, $"{r.Type?.Label}: {r.ValuesText()}", r.Scope, r.UpdatedAt, null,
                    r.Provenance) { Record = r };
            }
        }

        if (Ids(MemoryItemTypes.Summary) is { Count: > 0 } summaryIds)
        {
            foreach (var s in await db.Summaries.AsNoTracking().Include(s => s.Provenance).Where(s => summaryIds.Contains(s.Id)).ToListAsync(cancellationToken))
            {
                hits[s.Id] = new MemoryHit(MemoryItemTypes.Summary, s.Id, s.Title, s.Text, s.Scope, s.CreatedAt, null, s.Provenance) { Summary = s };
            }
        }

        return hits;
    }
}
