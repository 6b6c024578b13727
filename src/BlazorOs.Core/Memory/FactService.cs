using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>A fact the operator states by hand, with where it came from.</summary>
public sealed record NewFact(string Subject, string Predicate, FactValue Value, string Scope, double Confidence);

/// <summary>What <see cref="FactService.RememberAsync"/> did with a write.</summary>
public enum RememberOutcome
{
    /// <summary>Nothing was known about the subject and predicate in that scope: a new fact.</summary>
    Added = 0,

    /// <summary>The same value was already known: nothing stored.</summary>
    Unchanged = 1,

    /// <summary>Another value was known: the write is the fact's next revision, marked as a conflict with both sources.</summary>
    Contradicted = 2,
}

/// <summary>The fact after a write, and whether it waits for an operator's review.</summary>
public sealed record Remembered(Fact Fact, RememberOutcome Outcome)
{
    public bool NeedsReview => Fact.NeedsReview;
}

/// <summary>
/// Writes and finds facts. Every write carries a <see cref="Provenance"/>; every change of a value is a new
/// <see cref="FactRevision"/>. Ranked full-text recall is <see cref="MemorySearch"/>'s.
/// </summary>
public sealed class FactService(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxResults = 500;

    /// <summary>Newest first; <paramref name="search"/> matches subject, predicate or value text.</summary>
    public async Task<IReadOnlyList<Fact>> ListAsync(string? search, string? scope, int take = 100,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Facts.AsNoTracking().Include(f => f.Provenance).AsQueryable();
        if (!string.IsNullOrWhiteSpace(scope))
        {
            query = query.Where(f => f.Scope == scope);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{search.Trim()}%";
            query = query.Where(f => EF.Functions.Like(f.Subject, pattern)
                || EF.Functions.Like(f.Predicate, pattern)
                || EF.Functions.Like(f.ValueText, pattern));
        }

        return await query.OrderByDescending(f => f.UpdatedAt).Take(Math.Clamp(take, 1, MaxResults))
            .ToListAsync(cancellationToken);
    }

    public Task<Fact> AddAsync(NewFact request, ProvenanceSource source, string actor,
        CancellationToken cancellationToken = default) =>
        AddAsync(request, Provenance.Of(source, actor, clock.GetUtcNow().UtcDateTime), cancellationToken);

    /// <summary>One fact with its provenance, or null.</summary>
    public async Task<Fact?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Facts.AsNoTracking().Include(f => f.Provenance).SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
    }

    /// <summary>
    /// Checks a client's fact field by field and writes it; throws <see cref="MemoryValidationException"/> with every
    /// problem, and then writes nothing.
    /// </summary>
    public Task<Fact> AddAsync(FactInput input, Provenance provenance, CancellationToken cancellationToken = default) =>
        AddAsync(FactInputReader.Read(input), provenance, cancellationToken);

    /// <summary>Writes a fact with a provenance the caller made, e.g. a run's step with its run and node id.</summary>
    public async Task<Fact> AddAsync(NewFact request, Provenance provenance, CancellationToken cancellationToken = default)
    {
        var fact = Fact.Create(request.Subject, request.Predicate, request.Value, provenance, request.Confidence, request.Scope);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Provenance.Add(provenance);
        db.Facts.Add(fact);
        await db.SaveChangesAsync(cancellationToken);
        return fact;
    }

    /// <summary>
    /// Gives a fact a new value as its next revision (old → new, who, when, why). The same value and confidence again
    /// stores nothing. Throws <see cref="KeyNotFoundException"/> for an unknown fact, <see cref="MemoryValidationException"/>
    /// for bad input and <see cref="FactConflictException"/> when the fact moved past <see cref="FactChange.Revision"/>
    /// or another writer stored the same revision first.
    /// </summary>
    public async Task<Fact> ChangeAsync(Guid id, FactChange change, Provenance provenance, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var fact = await db.Facts.Include(f => f.Provenance).SingleOrDefaultAsync(f => f.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Fact {id} does not exist.");
        var (value, confidence) = FactInputReader.Read(change, fact);
        if (change.Revision is { } read && read != fact.Revision)
        {
            throw new FactConflictException($"Fact {id} is at revision {fact.Revision}, not {read}: read it again and retry.");
        }

        if (value == fact.Value && confidence.Equals(fact.Confidence))
        {
            return fact;
        }

        var revision = fact.Change(value, confidence, provenance, change.Reason);
        await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Fact", id, revision.Number, cancellationToken);
        return fact;
    }

    /// <summary>
    /// Restores the value and confidence that revision <paramref name="toRevision"/> gave the fact, as the fact's next
    /// revision: history is never rewritten, so the revert itself is a revision (reason "Reverted to revision n: why") with
    /// its own provenance, and can be reverted in turn. Throws <see cref="KeyNotFoundException"/> for an unknown fact,
    /// <see cref="MemoryValidationException"/> (field <c>toRevision</c> or <c>reason</c>) for a revision that does not exist
    /// or whose value the fact has now, and <see cref="FactConflictException"/> when the fact moved past
    /// <paramref name="expectedRevision"/> or another writer stored the same revision first.
    /// </summary>
    public async Task<Fact> RevertAsync(Guid id, int toRevision, Provenance provenance, string? reason, int? expectedRevision = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var fact = await db.Facts.Include(f => f.Provenance).SingleOrDefaultAsync(f => f.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Fact {id} does not exist.");
        var target = await db.FactRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.FactId == id && r.Number == toRevision, cancellationToken);
        var why = MemoryReverts.Reason(toRevision, reason);
        MemoryReverts.Check("Fact", id, fact.Revision, toRevision, target is not null,
            target is not null && target.NewValue == fact.Value && target.NewConfidence.Equals(fact.Confidence), why, FactRevision.ReasonMaxLength,
            expectedRevision);
        var revision = fact.Change(target!.NewValue, target.NewConfidence, provenance, why);
        await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Fact", id, revision.Number, cancellationToken);
        return fact;
    }

    /// <summary>
    /// Writes what a step (or connector) learned about a subject. When the scope already holds a fact with the same subject and
    /// predicate, a different value contradicts it: it becomes the fact's next revision, marked as a conflict, keeping the
    /// old value's source beside the new one; if the new value's confidence is below <paramref name="reviewBelow"/> the fact
    /// is flagged for review (<see cref="Fact.NeedsReview"/>). The same value again stores nothing.
    /// </summary>
    public async Task<Remembered> RememberAsync(NewFact request, Provenance provenance, double reviewBelow,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = await db.Facts.Include(f => f.Provenance)
            .Where(f => f.Subject == request.Subject && f.Predicate == request.Predicate && f.Scope == request.Scope)
            .OrderByDescending(f => f.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return new Remembered(await AddAsync(request, provenance, cancellationToken), RememberOutcome.Added);
        }

        if (current.Value == request.Value)
        {
            return new Remembered(current, RememberOutcome.Unchanged);
        }

        var revision = current.Contradict(request.Value, request.Confidence, provenance, needsReview: request.Confidence < reviewBelow,
            $"Contradicts {current.Value} (from {current.Provenance?.Actor ?? "an earlier write"})");
        await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Fact", current.Id, revision.Number, cancellationToken);
        return new Remembered(current, RememberOutcome.Contradicted);
    }

    /// <summary>Facts flagged by a low-confidence conflict, oldest change first.</summary>
    public async Task<IReadOnlyList<Fact>> NeedingReviewAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Facts.AsNoTracking().Include(f => f.Provenance).Where(f => f.NeedsReview)
            .OrderBy(f => f.UpdatedAt).Take(Math.Clamp(take, 1, MaxResults)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The operator accepts the fact's current value: it no longer needs review, and a revision with the same value records who
    /// accepted it (<see cref="Fact.MarkReviewed"/>). False for an unknown fact; a fact that needs no review is left as it is.
    /// </summary>
    public async Task<bool> MarkReviewedAsync(Guid id, Provenance reviewer, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var fact = await db.Facts.SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (fact is null)
        {
            return false;
        }

        if (fact.MarkReviewed(reviewer) is { } revision)
        {
            await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Fact", id, revision.Number, cancellationToken);
        }

        return true;
    }

    /// <summary>The fact's revisions, oldest first, each with its provenance; null when the fact does not exist.</summary>
    public async Task<IReadOnlyList<FactRevision>?> RevisionsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Facts.AnyAsync(f => f.Id == id, cancellationToken))
        {
            return null;
        }

        return await db.FactRevisions.AsNoTracking().Include(r => r.Provenance).Where(r => r.FactId == id)
            .OrderBy(r => r.Number).ToListAsync(cancellationToken);
    }
}
