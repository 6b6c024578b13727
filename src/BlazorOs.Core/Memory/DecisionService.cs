using System.Text.Json;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>A decision as a client or a step states it, not yet checked.</summary>
public sealed record NewDecision(string? Title, string? Rationale = null, IReadOnlyList<string>? Alternatives = null,
    DecisionMaker DecidedBy = DecisionMaker.Operator, Guid? GoalId = null, Guid? RunId = null, string? Scope = null);

/// <summary>New content for a decision: its next revision. <c>revision</c>, when given, is the one the writer read.</summary>
public sealed record DecisionChange(string? Title, string? Rationale = null, IReadOnlyList<string>? Alternatives = null,
    string? Reason = null, int? Revision = null);

/// <summary>Writes and reads decisions; every write carries a provenance, every change is a <see cref="MemoryRevision"/>.</summary>
public sealed class DecisionService(IDbContextFactory<BlazorOsDbContext> dbFactory)
{
    /// <summary>Throws <see cref="MemoryValidationException"/> with every problem, and then writes nothing.</summary>
    public async Task<Decision> AddAsync(NewDecision input, Provenance provenance, CancellationToken cancellationToken = default)
    {
        var scope = string.IsNullOrWhiteSpace(input.Scope) ? Fact.DefaultScope : input.Scope;
        Check(input.Title, input.Rationale, input.Alternatives, scope);
        var (decision, revision) = Decision.Create(new DecisionContent(input.Title!, input.Rationale, input.Alternatives),
            input.DecidedBy, input.GoalId, input.RunId, scope, provenance);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Provenance.Add(provenance);
        db.Decisions.Add(decision);
        db.MemoryRevisions.Add(revision);
        await db.SaveChangesAsync(cancellationToken);
        return decision;
    }

    public async Task<Decision?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Decisions.AsNoTracking().Include(d => d.Provenance).SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
    }

    /// <summary>Newest first, optionally of one scope, run or goal.</summary>
    public async Task<IReadOnlyList<Decision>> ListAsync(string? scope = null, Guid? runId = null, Guid? goalId = null, int take = 100,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Decisions.AsNoTracking().Include(d => d.Provenance)
            .Where(d => (scope == null || d.Scope == scope) && (runId == null || d.RunId == runId) && (goalId == null || d.GoalId == goalId))
            .OrderByDescending(d => d.UpdatedAt).Take(Math.Clamp(take, 1, FactService.MaxResults)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The next revision; the same content again stores nothing. Throws <see cref="KeyNotFoundException"/>,
    /// <see cref="MemoryValidationException"/> or <see cref="FactConflictException"/> (moved past <c>revision</c>).
    /// </summary>
    public async Task<Decision> ChangeAsync(Guid id, DecisionChange change, Provenance provenance, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var decision = await db.Decisions.Include(d => d.Provenance).SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Decision {id} does not exist.");
        Check(change.Title, change.Rationale, change.Alternatives, decision.Scope, change.Reason);
        if (change.Revision is { } read && read != decision.Revision)
        {
            throw new FactConflictException($"Decision {id} is at revision {decision.Revision}, not {read}: read it again and retry.");
        }

        if (decision.Change(new DecisionContent(change.Title!, change.Rationale, change.Alternatives), provenance, change.Reason) is { } revision)
        {
            db.Provenance.Add(provenance);
            db.MemoryRevisions.Add(revision);
            await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Decision", id, revision.Number, cancellationToken);
        }

        return decision;
    }

    /// <summary>
    /// Restores the content (title, rationale, alternatives) of revision <paramref name="toRevision"/> as the decision's next
    /// revision, with the reason "Reverted to revision n: why". Throws <see cref="KeyNotFoundException"/>,
    /// <see cref="MemoryValidationException"/> (<c>toRevision</c>: no such revision, or its content is the current one;
    /// <c>reason</c>: too long) or <see cref="FactConflictException"/> (moved past <paramref name="expectedRevision"/>).
    /// </summary>
    public async Task<Decision> RevertAsync(Guid id, int toRevision, Provenance provenance, string? reason, int? expectedRevision = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var decision = await db.Decisions.Include(d => d.Provenance).SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Decision {id} does not exist.");
        var target = await db.MemoryRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.ItemId == id && r.Number == toRevision, cancellationToken);
        var why = MemoryReverts.Reason(toRevision, reason);
        MemoryReverts.Check("Decision", id, decision.Revision, toRevision, target is not null, target?.NewJson == decision.ContentJson(), why,
            MemoryRevision.ReasonMaxLength, expectedRevision);
        var content = JsonSerializer.Deserialize<DecisionContent>(target!.NewJson, JsonSerializerOptions.Web)!;
        if (decision.Change(content, provenance, why) is { } revision)
        {
            db.Provenance.Add(provenance);
            db.MemoryRevisions.Add(revision);
            await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Decision", id, revision.Number, cancellationToken);
        }

        return decision;
    }

    /// <summary>Oldest first, each with its provenance; null when the decision does not exist.</summary>
    public async Task<IReadOnlyList<MemoryRevision>?> RevisionsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Decisions.AnyAsync(d => d.Id == id, cancellationToken)
            ? await db.MemoryRevisions.AsNoTracking().Include(r => r.Provenance).Where(r => r.ItemId == id).OrderBy(r => r.Number)
                .ToListAsync(cancellationToken)
            : null;
    }

    private static void Check(string? title, string? rationale, IReadOnlyList<string>? alternatives, string scope, string? reason = null)
    {
        var problems = new List<MemoryProblem>();
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > Decision.TitleMaxLength)
        {
            problems.Add(new MemoryProblem("title", $"A decision needs a title (what was decided) of 1 to {Decision.TitleMaxLength} characters."));
        }

        if (rationale is { Length: > Decision.RationaleMaxLength })
        {
            problems.Add(new MemoryProblem("rationale", $"A rationale has at most {Decision.RationaleMaxLength} characters."));
        }

        if (alternatives is { } list && (list.Count > Decision.MaxAlternatives || list.Any(a => a is null || a.Trim().Length > Decision.AlternativeMaxLength)))
        {
            problems.Add(new MemoryProblem("alternatives", $"At most {Decision.MaxAlternatives} alternatives of at most {Decision.AlternativeMaxLength} characters."));
        }

        if (!MemoryScope.IsValid(scope))
        {
            problems.Add(new MemoryProblem("scope", $"'{scope}' is not a scope: use {MemoryScope.FormatDescription}."));
        }

        if (reason is { } why && why.Trim().Length > MemoryRevision.ReasonMaxLength)
        {
            problems.Add(new MemoryProblem("reason", $"A reason has at most {MemoryRevision.ReasonMaxLength} characters."));
        }

        if (problems.Count > 0)
        {
            throw new MemoryValidationException(problems);
        }
    }
}
