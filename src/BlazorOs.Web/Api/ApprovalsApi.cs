using System.Security.Claims;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Api;

public sealed record ApprovalSummary(Guid Id, Guid RunId, string NodeId, ApprovalKind Kind, ApprovalStatus Status,
    string Question, JsonNode? Context, string? PolicyReason, DateTime CreatedAt, DateTime? DueAt);

/// <param name="Decision">approve, reject or modify (with <c>output</c>); for escalations retry, skip (with <c>output</c>) or
/// fail; for operator tasks provide (with <c>output</c>).</param>
/// <param name="Output">The edited or provided output that the run continues with.</param>
public sealed record AnswerRequest(string? Decision, JsonNode? Output);

/// <summary>The operator's questions: approvals, escalations and tasks that runs wait on, and answering them.</summary>
internal static class ApprovalsApi
{
    public static RouteGroupBuilder MapApprovalsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/approvals").WithTags("Approvals");
        group.MapGet("/", ListAsync).WithName("ListApprovals").WithSummary("Questions for the operator, newest first")
            .WithDescription($"`status`: one of {string.Join(", ", Enum.GetNames<ApprovalStatus>())}; Open by default. Each comes " +
                "with its run, node, question and the context to decide on.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/{id:guid}", AnswerAsync).WithName("AnswerApproval").WithSummary("Answer an open question; the run continues")
            .WithDescription("A decision that does not fit the question is a 400; answering a question that is no longer open is a 409.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<List<ApprovalSummary>>, ProblemHttpResult>> ListAsync(string? status,
        IDbContextFactory<BlazorOsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        var wanted = ApprovalStatus.Open;
        if (status is not null && (!Enum.TryParse(status, ignoreCase: true, out wanted) || !Enum.IsDefined(wanted)))
        {
            return ApiResults.BadRequest($"Unknown status '{status}'. Use one of: {string.Join(", ", Enum.GetNames<ApprovalStatus>())}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var approvals = await db.Approvals.AsNoTracking().Where(a => a.Status == wanted
                && (a.Kind == ApprovalKind.Approval || a.Kind == ApprovalKind.Escalation || a.Kind == ApprovalKind.OperatorTask)).OrderByDescending(a => a.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(approvals.Select(a => new ApprovalSummary(a.Id, a.RunId, a.NodeId, a.Kind, a.Status, a.Question,
            ApiJson.Parse(a.ContextJson), a.PolicyReason, a.CreatedAt, a.DueAt)).ToList());
    }

    private static async Task<Results<Ok, ProblemHttpResult>> AnswerAsync(Guid id, AnswerRequest request, IPlaybookEngine engine,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!TryParseDecision(request.Decision, out var decision))
        {
            return ApiResults.BadRequest(
                "'decision' must be one of: approve, reject, modify (with 'output'), retry, skip (with 'output'), fail.");
        }

        try
        {
            await engine.AnswerAsync(id, decision, request.Output, user.Identity?.Name ?? "operator", cancellationToken);
            return TypedResults.Ok();
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
        catch (AnswerRejectedException ex)
        {
            return ex.IsConflict ? ApiResults.Conflict(ex.Message) : ApiResults.BadRequest(ex.Message);
        }
    }

    private static bool TryParseDecision(string? text, out ApprovalDecision decision)
    {
        decision = text?.Trim().ToLowerInvariant() switch
        {
            "approve" => ApprovalDecision.Approve,
            "reject" => ApprovalDecision.Reject,
            "modify" or "provide" => ApprovalDecision.Modify,
            "retry" => ApprovalDecision.Retry,
            "skip" => ApprovalDecision.Skip,
            "fail" => ApprovalDecision.Fail,
            _ => (ApprovalDecision)(-1),
        };
        return Enum.IsDefined(decision);
    }
}
