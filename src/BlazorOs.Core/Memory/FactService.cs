using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>A fact the operator states by hand, with where it came from.</summary>
public sealed record NewFact(string Subject, string Predicate, FactValue Value, string Scope, double Confidence);

/// <summary>Writes and finds facts. Every write carries a <see cref="Provenance"/>.</summary>
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
}
