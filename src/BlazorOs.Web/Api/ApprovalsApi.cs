using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Api;

public sealed record ApprovalSummary(Guid Id, Guid RunId, string NodeId, ApprovalKind Kind, ApprovalStatus Status,
    string Question, JsonNode? Context, string? PolicyReason, DateTime CreatedAt, DateTime? DueAt);

internal static class ApprovalsApi
{
    public static RouteGroupBuilder MapApprovalsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/approvals").WithTags("Approvals");
        group.MapGet("/", ListAsync);
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
}
