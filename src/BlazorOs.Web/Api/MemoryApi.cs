using System.Security.Claims;
using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorOs.Web.Api;

/// <summary>Who or what wrote a memory item: the source, the actor, the run and step if any, and when.</summary>
public sealed record ProvenanceView(ProvenanceSource Source, string Actor, Guid? RunId, string? NodeId, string? Detail, DateTime At)
{
    public static ProvenanceView? Of(Provenance? p) => p is null ? null : new(p.Source, p.Actor, p.RunId, p.NodeId, p.Detail, p.At);
}

/// <summary>A fact in the shape it is written (<see cref="FactInput"/>), plus its canonical text, revision and provenance.</summary>
public sealed record FactView(Guid Id, string Subject, string Predicate, FactValueKind Kind, JsonNode Value, string? Currency,
    string Text, double Confidence, string Scope, int Revision, DateTime CreatedAt, DateTime UpdatedAt, ProvenanceView? Provenance)
{
    public static FactView Of(Fact f) => new(f.Id, f.Subject, f.Predicate, f.ValueKind, f.Value.ToJson(), f.Currency, f.Value.ToString(),
        f.Confidence, f.Scope, f.Revision, f.CreatedAt, f.UpdatedAt, ProvenanceView.Of(f.Provenance));
}

/// <summary>A value with its confidence, on either side of a revision.</summary>
public sealed record FactValueView(FactValueKind Kind, JsonNode Value, string? Currency, double Confidence);

/// <summary>One revision: <c>old</c> (null for the first) → <c>new</c>, why, and who and when (its provenance).</summary>
public sealed record FactRevisionView(int Number, FactValueView? Old, FactValueView New, string? Reason, ProvenanceView? Provenance)
{
    public static FactRevisionView Of(FactRevision r) => new(r.Number,
        r.OldValue is { } old ? new FactValueView(old.Kind, old.ToJson(), old.Currency, r.OldConfidence ?? 1) : null,
        new FactValueView(r.NewKind, r.NewValue.ToJson(), r.NewCurrency, r.NewConfidence), r.Reason, ProvenanceView.Of(r.Provenance));
}

/// <summary>
/// Restores the value of an earlier revision as a new revision. <c>toRevision</c> is required; <c>reason</c> says why;
/// <c>revision</c>, when given, is the revision the caller read: the revert is refused if the fact has moved on since.
/// </summary>
public sealed record FactRevert(int? ToRevision, string? Reason = null, int? Revision = null);

/// <summary>
/// A recalled memory item: its type (<c>fact</c>, <c>decision</c>, <c>record</c>, <c>summary</c>), id, score (higher is
/// better; null without a query), a title and text line, scope, when it last changed, its provenance, and for a fact the fact.
/// </summary>
public sealed record MemorySearchHit(string Type, Guid Id, double? Score, string Title, string Text, string Scope, DateTime UpdatedAt,
    ProvenanceView? Provenance, FactView? Fact)
{
    /// <summary>With <c>q</c>: how the item was found, <c>text</c>, <c>meaning</c> (embeddings) or <c>both</c>; null without <c>q</c>.</summary>
    public string? Match { get; init; }

    public static MemorySearchHit Of(MemoryHit h) => new(h.Type, h.Id, h.Score, h.Title, h.Text, h.Scope, h.UpdatedAt,
        ProvenanceView.Of(h.Provenance), h.Fact is { } fact ? FactView.Of(fact) : null) { Match = h.Match };
}

/// <summary>Memory: ranked recall, and facts with provenance and revisions.</summary>
internal static class MemoryApi
{
    public static RouteGroupBuilder MapMemoryApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/memory").WithTags("Memory");
        group.MapGet("/search", SearchAsync).WithName("SearchMemory").WithSummary("Ranked recall over memory")
            .WithDescription($"`q`: words to look for, matched whole (and as prefixes from three letters), case- and accent-insensitive; " +
                "any word may match and items matching more, rarer words, in the subject before the predicate and value, rank first. " +
                $"Without `q`, the newest items. `type`: {string.Join(", ", MemorySearch.Types)}. `scope`: one privacy scope. " +
                "`subject`: facts with this subject and records with this title. `since`/`until`: changed in that time (ISO 8601). " +
                $"`limit`: 1 to {MemorySearch.MaxLimit} (default {MemorySearch.DefaultLimit}). " +
                "With an embeddings model configured, the text ranks are fused with recall by meaning; each hit's `match` says how it was found.")
            .ProducesValidationProblem();
        group.MapPost("/facts", AddAsync).WithName("AddFact").WithSummary("Write a fact")
            .WithDescription("`value` is JSON typed by `kind` (text by default): a string for text and reference, a number for " +
                "number, \"yyyy-MM-dd\" for date, a number with `currency` for money. Its provenance is the caller: the operator, " +
                "through the API key or the signed-in session. Every bad field is named under `errors`; nothing is written then.")
            .Accepts<FactInput>("application/json").ProducesValidationProblem();
        group.MapGet("/facts/{id:guid}", GetAsync).WithName("GetFact").WithSummary("One fact with its provenance")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/facts/{id:guid}", ChangeAsync).WithName("ChangeFact").WithSummary("Change a fact's value: a new revision")
            .WithDescription("`kind` and `confidence` default to the fact's; `reason` says why. With `revision` (the one you read), a " +
                "fact changed since is a 409. The same value again stores no revision.")
            .Accepts<FactChange>("application/json").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/facts/{id:guid}/revisions", RevisionsAsync).WithName("GetFactRevisions")
            .WithSummary("A fact's history, oldest first: old → new value, who, when, why")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/facts/{id:guid}/revert", RevertAsync).WithName("RevertFact")
            .WithSummary("Restore an earlier revision's value: a new revision")
            .WithDescription("`toRevision`: the revision whose value and confidence come back; `reason` says why (stored as " +
                "\"Reverted to revision n: reason\"). History is not rewritten: the revert is the fact's next revision. With `revision` " +
                "(the one you read), a fact changed since is a 409. A revision that does not exist, or whose value the fact has now, is a 400.")
            .Accepts<FactRevert>("application/json").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<List<MemorySearchHit>>, ValidationProblem>> SearchAsync(string? q, string? type, string? scope,
        int? limit, string? subject, DateTime? since, DateTime? until, bool? needsReview, MemorySearch search, CancellationToken cancellationToken)
    {
        try
        {
            var query = new MemoryQuery(q, type, scope, limit)
            {
                Subject = subject,
                Since = since?.ToUniversalTime(),
                Until = until?.ToUniversalTime(),
                NeedsReview = needsReview ?? false,
            };
            var hits = await search.SearchAsync(query, cancellationToken);
            return TypedResults.Ok(hits.Select(MemorySearchHit.Of).ToList());
        }
        catch (MemoryValidationException ex)
        {
            return ApiResults.Invalid("The search cannot run with these parameters.", ex.Problems);
        }
    }

    private static async Task<Results<Created<FactView>, ValidationProblem>> AddAsync(HttpRequest request, ClaimsPrincipal user,
        FactService facts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (input, invalid) = await ApiBody.ReadAsync<FactInput>(request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        try
        {
            var fact = await facts.AddAsync(input!, ProvenanceOf(user, clock), cancellationToken);
            return TypedResults.Created($"/api/memory/facts/{fact.Id}", FactView.Of(fact));
        }
        catch (MemoryValidationException ex)
        {
            return ApiResults.Invalid("The fact is not valid. Nothing was written.", ex.Problems);
        }
    }

    private static async Task<Results<Ok<FactView>, ProblemHttpResult>> GetAsync(Guid id, FactService facts, CancellationToken cancellationToken) =>
        await facts.GetAsync(id, cancellationToken) is { } fact ? TypedResults.Ok(FactView.Of(fact)) : FactNotFound(id);

    private static async Task<Results<Ok<FactView>, ValidationProblem, ProblemHttpResult>> ChangeAsync(Guid id, HttpRequest request,
        ClaimsPrincipal user, FactService facts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (change, invalid) = await ApiBody.ReadAsync<FactChange>(request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        try
        {
            return TypedResults.Ok(FactView.Of(await facts.ChangeAsync(id, change!, ProvenanceOf(user, clock), cancellationToken)));
        }
        catch (KeyNotFoundException)
        {
            return FactNotFound(id);
        }
        catch (MemoryValidationException ex)
        {
            return ApiResults.Invalid("The change is not valid. Nothing was written.", ex.Problems);
        }
        catch (FactConflictException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }
    }

    private static async Task<Results<Ok<FactView>, ValidationProblem, ProblemHttpResult>> RevertAsync(Guid id, HttpRequest request,
        ClaimsPrincipal user, FactService facts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (revert, invalid) = await ApiBody.ReadAsync<FactRevert>(request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        if (revert!.ToRevision is not { } toRevision)
        {
            // An unknown fact is a 404 whatever the body says, as for the other calls on a fact.
            return await facts.GetAsync(id, cancellationToken) is null
                ? FactNotFound(id)
                : ApiResults.Invalid("Nothing was reverted.", [new MemoryProblem("toRevision", "Name the revision to go back to, e.g. 1.")]);
        }

        try
        {
            return TypedResults.Ok(FactView.Of(await facts.RevertAsync(id, toRevision, ProvenanceOf(user, clock), revert.Reason, revert.Revision,
                cancellationToken)));
        }
        catch (KeyNotFoundException)
        {
            return FactNotFound(id);
        }
        catch (MemoryValidationException ex)
        {
            return ApiResults.Invalid("Nothing was reverted.", ex.Problems);
        }
        catch (FactConflictException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }
    }

    private static async Task<Results<Ok<List<FactRevisionView>>, ProblemHttpResult>> RevisionsAsync(Guid id, FactService facts,
        CancellationToken cancellationToken) =>
        await facts.RevisionsAsync(id, cancellationToken) is { } revisions
            ? TypedResults.Ok(revisions.Select(FactRevisionView.Of).ToList())
            : FactNotFound(id);

    private static ProblemHttpResult FactNotFound(Guid id) => ApiResults.NotFound($"Fact {id} does not exist.");

    /// <summary>
    /// The operator wrote it: through an API key (source Api, the key named in the detail) or the signed-in session
    /// (source Operator).
    /// </summary>
    internal static Provenance ProvenanceOf(ClaimsPrincipal user, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is { } keyId
            ? Provenance.Of(ProvenanceSource.Api, OperatorAccount.OperatorName, now, detail: $"API key '{user.Identity?.Name}' ({keyId})")
            : Provenance.Of(ProvenanceSource.Operator, OperatorAccount.OperatorName, now, detail: "HTTP API, signed-in session");
    }
}
