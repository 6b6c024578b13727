using System.Security.Claims;
using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorOs.Web.Api;

/// <summary>A decision: what was decided, why, the alternatives, by whom, for which goal and run; its scope, revision and provenance.</summary>
public sealed record DecisionView(Guid Id, string Title, string? Rationale, IReadOnlyList<string> Alternatives, DecisionMaker DecidedBy,
    Guid? GoalId, Guid? RunId, string Scope, int Revision, DateTime CreatedAt, DateTime UpdatedAt, ProvenanceView? Provenance)
{
    public static DecisionView Of(Decision d) => new(d.Id, d.Title, d.Rationale, d.Alternatives, d.DecidedBy, d.GoalId, d.RunId, d.Scope,
        d.Revision, d.CreatedAt, d.UpdatedAt, ProvenanceView.Of(d.Provenance));
}

/// <summary>Decisions with provenance and revisions, as facts have them.</summary>
internal static class DecisionsApi
{
    public static RouteGroupBuilder MapDecisionsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/memory/decisions").WithTags("Memory");
        group.MapPost("", AddAsync).WithName("AddDecision").WithSummary("Write a decision")
            .WithDescription("`title` (what was decided) is required; `rationale`, `alternatives` (the options not taken), `decidedBy` " +
                "(Operator or Agent), `goalId`, `runId` and `scope` (default business) are optional. Its provenance is the caller. " +
                "Every bad field is named under `errors`; nothing is written then.")
            .Accepts<NewDecision>("application/json").ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetAsync).WithName("GetDecision").WithSummary("One decision with its provenance")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", ChangeAsync).WithName("ChangeDecision").WithSummary("Change a decision: a new revision")
            .WithDescription("The whole content: `title`, `rationale`, `alternatives`; `reason` says why. With `revision` (the one you " +
                "read), a decision changed since is a 409. The same content again stores no revision.")
            .Accepts<DecisionChange>("application/json").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/revisions", RevisionsAsync).WithName("GetDecisionRevisions")
            .WithSummary("A decision's history, oldest first: old → new content, who, when, why")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/revert", RevertAsync).WithName("RevertDecision")
            .WithSummary("Restore an earlier revision's content: a new revision").WithDescription(MemoryItemApi.RevertDescription)
            .Accepts<ItemRevert>("application/json").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Created<DecisionView>, ValidationProblem>> AddAsync(HttpRequest request, ClaimsPrincipal user,
        DecisionService decisions, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (input, invalid) = await ApiBody.ReadAsync<NewDecision>(request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        try
        {
            var decision = await decisions.AddAsync(input!, MemoryApi.ProvenanceOf(user, clock), cancellationToken);
            return TypedResults.Created($"/api/memory/decisions/{decision.Id}", DecisionView.Of(decision));
        }
        catch (MemoryValidationException ex)
        {
            return ApiResults.Invalid("The decision is not valid. Nothing was written.", ex.Problems);
        }
    }

    private static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> GetAsync(Guid id, DecisionService decisions,
        CancellationToken cancellationToken) =>
        await decisions.GetAsync(id, cancellationToken) is { } decision ? TypedResults.Ok(DecisionView.Of(decision)) : NotFound(id);

    private static async Task<Results<Ok<DecisionView>, ValidationProblem, ProblemHttpResult>> ChangeAsync(Guid id, HttpRequest request,
        ClaimsPrincipal user, DecisionService decisions, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (change, invalid) = await ApiBody.ReadAsync<DecisionChange>(request, cancellationToken);
        return invalid is not null
            ? invalid
            : await MemoryItemApi.WriteAsync(async () => DecisionView.Of(await decisions.ChangeAsync(id, change!, MemoryApi.ProvenanceOf(user, clock),
                cancellationToken)), "The change is not valid. Nothing was written.");
    }

    private static async Task<Results<Ok<List<MemoryRevisionView>>, ProblemHttpResult>> RevisionsAsync(Guid id, DecisionService decisions,
        CancellationToken cancellationToken) =>
        await decisions.RevisionsAsync(id, cancellationToken) is { } revisions
            ? TypedResults.Ok(revisions.Select(MemoryRevisionView.Of).ToList())
            : NotFound(id);

    private static Task<Results<Ok<DecisionView>, ValidationProblem, ProblemHttpResult>> RevertAsync(Guid id, HttpRequest request,
        ClaimsPrincipal user, DecisionService decisions, TimeProvider clock, CancellationToken cancellationToken) =>
        MemoryItemApi.RevertAsync(request, async () => await decisions.GetAsync(id, cancellationToken) is not null, NotFound(id),
            async (toRevision, revert) => DecisionView.Of(await decisions.RevertAsync(id, toRevision, MemoryApi.ProvenanceOf(user, clock),
                revert.Reason, revert.Revision, cancellationToken)), cancellationToken);

    private static ProblemHttpResult NotFound(Guid id) => ApiResults.NotFound($"Decision {id} does not exist.");
}
