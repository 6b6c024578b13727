using System.Security.Claims;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Traces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Api;

public sealed record StartRunRequest(JsonObject? Inputs, Guid? GoalId);

public sealed record StartRunResponse(Guid RunId);

public sealed record AnswerRequest(string? Decision, JsonNode? Output);

/// <summary>Starting, cancelling and answering runs: the engine's side of CONTRACTS' HTTP API.</summary>
internal static class EngineApi
{
    public static IEndpointRouteBuilder MapEngineApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/playbooks/{id:guid}/runs", StartAsync).WithTags("Runs");
        endpoints.MapGet("/api/runs/{runId:guid}/trace", TraceAsync).WithTags("Runs");
        endpoints.MapPost("/api/runs/{runId:guid}/cancel", CancelAsync).WithTags("Runs");
        endpoints.MapPost("/api/approvals/{id:guid}", AnswerAsync).WithTags("Approvals");
        return endpoints;
    }

    private static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> StartAsync(Guid id, StartRunRequest? request,
        IPlaybookEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            var runId = await engine.StartAsync(new StartRun(id, request?.Inputs ?? [], RunTrigger.Api, request?.GoalId), cancellationToken);
            return TypedResults.Accepted($"/api/runs/{runId}", new StartRunResponse(runId));
        }
        catch (RunStartException ex) when (ex.Problems.Any(p => p.Field == "playbookId"))
        {
            return ApiResults.NotFound(ex.Message);
        }
        catch (RunStartException ex)
        {
            return ApiResults.Problems("The run cannot start with these inputs.", ex.Problems);
        }
    }

    private static async Task<Results<Ok<List<TraceMessage>>, ProblemHttpResult>> TraceAsync(Guid runId, long? after,
        IDbContextFactory<BlazorOsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken))
        {
            return ApiResults.NotFound($"Run {runId} does not exist.");
        }

        var from = after ?? 0;
        var events = await db.TraceEvents.AsNoTracking().Where(e => e.RunId == runId && e.Sequence > from)
            .OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        return TypedResults.Ok(events.Select(TraceMessage.From).ToList());
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(Guid runId, IPlaybookEngine engine,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            await engine.CancelAsync(runId, user.Identity?.Name ?? "operator", cancellationToken);
            return TypedResults.Accepted($"/api/runs/{runId}");
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
        catch (AnswerRejectedException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }
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
