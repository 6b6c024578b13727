using System.Diagnostics;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>One item a rule would delete (or, for trace rules, one run whose trace would go).</summary>
public sealed record RetentionCandidate(string ItemType, Guid Id, string Title, string? Scope, DateTime At);

/// <summary>What a rule would delete now: how many items (trace: runs, and their events) and the first of them.</summary>
public sealed record RetentionPreview(int Count, long? TraceEvents, IReadOnlyList<RetentionCandidate> Sample);

/// <summary>
/// Retention rules (stored in the database), a preview of what a rule would delete, and their application: items past
/// their rule are deleted in small batches (short write transactions, so runs are never kept waiting for long), trace events
/// of ended runs are deleted or first condensed (<see cref="MemoryCondenser"/>), and every application of a rule is written
/// to the retention log. A rule for a scope shields that scope from its type's scope-less rule. Deleting an item deletes its
/// revisions and, in the same transaction, the provenance rows of the item and its revisions that nothing else references
/// (a provenance may be shared, e.g. by the items one step wrote).
/// </summary>
public sealed class MemoryRetention(IDbContextFactory<BlazorOsDbContext> dbFactory, MemoryCondenser condenser, TimeProvider clock)
{
    public const int BatchSize = 2000;
    private const int TraceRunBatch = 50;

    public async Task<IReadOnlyList<RetentionRule>> RulesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RetentionRules.AsNoTracking().OrderBy(r => r.ItemType).ThenBy(r => r.Scope).ToListAsync(cancellationToken);
    }

    /// <summary>Adds a rule or replaces the one for the same type and scope. Throws <see cref="MemoryValidationException"/>.</summary>
    public async Task<RetentionRule> SaveRuleAsync(RetentionRuleInput input, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var scope = string.IsNullOrEmpty(input.Scope) ? null : input.Scope;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.RetentionRules.SingleOrDefaultAsync(r => r.ItemType == input.ItemType && r.Scope == scope, cancellationToken);
        if (rule is null)
        {
            rule = RetentionRule.Create(input, now);
            db.RetentionRules.Add(rule);
        }
        else
        {
            rule.Change(input, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return rule;
    }

    public async Task<bool> DeleteRuleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RetentionRules.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <summary>The newest entries first.</summary>
    public async Task<IReadOnlyList<RetentionLogEntry>> LogAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RetentionLog.AsNoTracking().OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }

    /// <summary>What the rule would delete if applied now (stored or not), given the other stored rules. Deletes nothing.</summary>
    public async Task<RetentionPreview> PreviewAsync(RetentionRuleInput input, int sample = 20, CancellationToken cancellationToken = default)
    {
        var problems = RetentionRule.Check(input);
        if (problems.Count > 0)
        {
            throw new MemoryValidationException(problems);
        }

        var rule = RetentionRule.Create(input, clock.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (rule.Mode == RetentionMode.KeepForever)
        {
            return new RetentionPreview(0, rule.ItemType == MemoryItemTypes.Trace ? 0 : null, []);
        }

        if (rule.ItemType == MemoryItemTypes.Trace)
        {
            var runs = ExpiredRuns(db, rule);
            var count = await runs.CountAsync(cancellationToken);
            var events = await db.TraceEvents.LongCountAsync(e => runs.Select(r => r.Id).Contains(e.RunId), cancellationToken);
            var first = await runs.Take(sample).Select(r => new { r.Id, r.EndedAt, r.Outcome }).ToListAsync(cancellationToken);
            return new RetentionPreview(count, events,
                [.. first.Select(r => new RetentionCandidate(MemoryItemTypes.Trace, r.Id, $"Run {r.Id} ({r.Outcome ?? "no outcome"})", null, r.EndedAt!.Value))]);
        }

        var shielded = await ShieldedScopesAsync(db, rule, cancellationToken);
        var expired = Expired(db, rule, shielded);
        return new RetentionPreview(await expired.CountAsync(cancellationToken), null,
            [.. (await expired.Take(sample).ToListAsync(cancellationToken)).Select(i => new RetentionCandidate(rule.ItemType, i.Id, i.Title, i.Scope, i.At))]);
    }

    /// <summary>Applies every stored rule once; returns the log entries written (one per rule).</summary>
    public async Task<IReadOnlyList<RetentionLogEntry>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<RetentionLogEntry>();
        foreach (var rule in await RulesAsync(cancellationToken))
        {
            var watch = Stopwatch.StartNew();
            var (deleted, summaries, detail) = rule.Mode == RetentionMode.KeepForever
                ? (0, 0, "Kept forever.")
                : rule.ItemType == MemoryItemTypes.Trace
                    ? await ApplyTraceRuleAsync(rule, cancellationToken)
                    : await ApplyItemRuleAsync(rule, cancellationToken);
            var entry = RetentionLogEntry.Of(rule, clock.GetUtcNow().UtcDateTime, deleted, summaries, watch.ElapsedMilliseconds, detail);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.RetentionLog.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            entries.Add(entry);
        }

        return entries;
    }

    private async Task<(int Deleted, int Summaries, string Detail)> ApplyItemRuleAsync(RetentionRule rule, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var shielded = await ShieldedScopesAsync(db, rule, cancellationToken);
            var batch = await Expired(db, rule, shielded).Select(i => i.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Read before the items go: afterwards nothing says which provenance rows were theirs.
            var provenance = await ProvenanceIds(db, rule.ItemType, batch).Distinct().ToListAsync(cancellationToken);
            deleted += rule.ItemType switch
            {
                // Fact revisions go with their fact (cascade); the FTS rows with their item (triggers).
                MemoryItemTypes.Fact => await db.Facts.Where(f => batch.Contains(f.Id)).ExecuteDeleteAsync(cancellationToken),
                MemoryItemTypes.Decision => await DeleteWithRevisionsAsync(db, db.Decisions.Where(d => batch.Contains(d.Id)), batch, cancellationToken),
                MemoryItemTypes.Record => await DeleteWithRevisionsAsync(db, db.Records.Where(r => batch.Contains(r.Id)), batch, cancellationToken),
                _ => await db.Summaries.Where(s => batch.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken),
            };
            await DeleteOrphanedProvenanceAsync(db, provenance, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (deleted, 0, $"Deleted {deleted} {rule.ItemType}(s) {Describe(rule)}.");
    }

    private async Task<(int Deleted, int Summaries, string Detail)> ApplyTraceRuleAsync(RetentionRule rule, CancellationToken cancellationToken)
    {
        var (runs, events, summaries) = (0, 0, 0);
        while (true)
        {
            List<Guid> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                batch = await ExpiredRuns(db, rule).Select(r => r.Id).Take(TraceRunBatch).ToListAsync(cancellationToken);
            }

            if (batch.Count == 0)
            {
                break;
            }

            foreach (var runId in batch)
            {
                if (rule.Action == RetentionAction.Condense && await condenser.CondenseRunAsync(runId, cancellationToken) is not null)
                {
                    summaries++;
                }

                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                events += await db.TraceEvents.Where(e => e.RunId == runId).ExecuteDeleteAsync(cancellationToken);
                runs++;
            }
        }

        var verb = rule.Action == RetentionAction.Condense ? $"Condensed {runs} run(s) into summaries ({summaries} made or kept) and deleted" : "Deleted";
        return (events, summaries, $"{verb} {events} trace event(s) of {runs} ended run(s) {Describe(rule)}.");
    }

    /// <summary>The provenance ids of a batch of items and of their revisions, as one query.</summary>
    private static IQueryable<Guid> ProvenanceIds(BlazorOsDbContext db, string itemType, List<Guid> ids) => itemType switch
    {
        MemoryItemTypes.Fact => db.Facts.Where(f => ids.Contains(f.Id)).Select(f => f.ProvenanceId)
            .Concat(db.FactRevisions.Where(r => ids.Contains(r.FactId)).Select(r => r.ProvenanceId)),
        MemoryItemTypes.Decision => db.Decisions.Where(d => ids.Contains(d.Id)).Select(d => d.ProvenanceId)
            .Concat(db.MemoryRevisions.Where(r => ids.Contains(r.ItemId)).Select(r => r.ProvenanceId)),
        MemoryItemTypes.Record => db.Records.Where(r => ids.Contains(r.Id)).Select(r => r.ProvenanceId)
            .Concat(db.MemoryRevisions.Where(r => ids.Contains(r.ItemId)).Select(r => r.ProvenanceId)),
        _ => db.Summaries.Where(s => ids.Contains(s.Id)).Select(s => s.ProvenanceId),
    };

    /// <summary>
    /// One DELETE of the given provenance rows that no item or revision references any more (each check is an index lookup
    /// on a provenance foreign key). A revision's <c>OldProvenanceId</c> is not checked: it names the provenance of one of the
    /// same item's earlier revisions, so it is referenced for as long as the item lives.
    /// </summary>
    private static Task<int> DeleteOrphanedProvenanceAsync(BlazorOsDbContext db, List<Guid> ids, CancellationToken cancellationToken) =>
        db.Provenance.Where(p => ids.Contains(p.Id)
                && !db.Facts.Any(f => f.ProvenanceId == p.Id)
                && !db.FactRevisions.Any(r => r.ProvenanceId == p.Id)
                && !db.Decisions.Any(d => d.ProvenanceId == p.Id)
                && !db.Records.Any(r => r.ProvenanceId == p.Id)
                && !db.Summaries.Any(s => s.ProvenanceId == p.Id)
                && !db.MemoryRevisions.Any(r => r.ProvenanceId == p.Id))
            .ExecuteDeleteAsync(cancellationToken);

    private static async Task<int> DeleteWithRevisionsAsync<T>(BlazorOsDbContext db, IQueryable<T> items, List<Guid> ids, CancellationToken cancellationToken)
    {
        await db.MemoryRevisions.Where(r => ids.Contains(r.ItemId)).ExecuteDeleteAsync(cancellationToken);
        return await items.ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Scopes with a rule of their own for the same type: a scope-less rule leaves them alone.</summary>
    private static async Task<List<string>> ShieldedScopesAsync(BlazorOsDbContext db, RetentionRule rule, CancellationToken cancellationToken) =>
        rule.Scope is not null
            ? []
            : await db.RetentionRules.Where(r => r.ItemType == rule.ItemType && r.Scope != null && r.Id != rule.Id).Select(r => r.Scope!)
                .ToListAsync(cancellationToken);

    /// <summary>The items the rule deletes now, oldest first.</summary>
    private IQueryable<ItemRow> Expired(BlazorOsDbContext db, RetentionRule rule, List<string> shielded)
    {
        var items = Items(db, rule.ItemType)
            .Where(i => rule.Scope == null ? !shielded.Contains(i.Scope) : i.Scope == rule.Scope);
        if (rule.Mode == RetentionMode.KeepDays)
        {
            var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-rule.Amount!.Value);
            return items.Where(i => i.At < cutoff).OrderBy(i => i.At).ThenBy(i => i.Id);
        }

        // Keep latest N: everything after the N newest.
        return items.OrderByDescending(i => i.At).ThenByDescending(i => i.Id).Skip(rule.Amount!.Value);
    }

    private IQueryable<Run> ExpiredRuns(BlazorOsDbContext db, RetentionRule rule)
    {
        var ended = db.Runs.Where(r => r.EndedAt != null
            && (r.Status == RunStatus.Completed || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled));
        var withTrace = ended.Where(r => db.TraceEvents.Any(e => e.RunId == r.Id));
        if (rule.Mode == RetentionMode.KeepDays)
        {
            var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-rule.Amount!.Value);
            return withTrace.Where(r => r.EndedAt < cutoff).OrderBy(r => r.EndedAt);
        }

        // Keep the traces of the N runs that ended last.
        var kept = ended.OrderByDescending(r => r.EndedAt).Take(rule.Amount!.Value).Select(r => r.Id);
        return withTrace.Where(r => !kept.Contains(r.Id)).OrderBy(r => r.EndedAt);
    }

    private static IQueryable<ItemRow> Items(BlazorOsDbContext db, string itemType) => itemType switch
    {
        MemoryItemTypes.Fact => db.Facts.Select(f => new ItemRow { Id = f.Id, Scope = f.Scope, At = f.UpdatedAt, Title = f.Subject + " " + f.Predicate }),
        MemoryItemTypes.Decision => db.Decisions.Select(d => new ItemRow { Id = d.Id, Scope = d.Scope, At = d.UpdatedAt, Title = d.Title }),
        MemoryItemTypes.Record => db.Records.Select(r => new ItemRow { Id = r.Id, Scope = r.Scope, At = r.UpdatedAt, Title = r.Title }),
        MemoryItemTypes.Summary => db.Summaries.Select(s => new ItemRow { Id = s.Id, Scope = s.Scope, At = s.CreatedAt, Title = s.Title }),
        _ => throw new ArgumentOutOfRangeException(nameof(itemType), itemType, "Not a memory item type."),
    };

    private static string Describe(RetentionRule rule) =>
        $"({rule.ItemType}{(rule.Scope is null ? "" : $" in {rule.Scope}")}: " + rule.Mode switch
        {
            RetentionMode.KeepDays => $"keep {rule.Amount} days)",
            RetentionMode.KeepLatest => $"keep the latest {rule.Amount})",
            _ => "keep forever)",
        };

    private sealed class ItemRow
    {
        public Guid Id { get; init; }
        public string Scope { get; init; } = string.Empty;
        public DateTime At { get; init; }
        public string Title { get; init; } = string.Empty;
    }
}
