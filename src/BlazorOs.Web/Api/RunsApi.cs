using System.Security.Claims;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Traces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Api;

public sealed record RunSummary(Guid RunId, Guid PlaybookId, int Version, RunStatus Status, RunTrigger Trigger,
    DateTime StartedAt, DateTime? EndedAt, string? Outcome, string? Error, long TokensIn, long TokensOut, long CostMicros);

public sealed record StepSummary(string NodeId, string Kind, StepStatus Status, string? Port, int Attempts, JsonNode? Output,
    string? Error, DateTime StartedAt, DateTime? EndedAt, long TokensIn, long TokensOut, long CostMicros);

public sealed record RunDetail(RunSummary Run, IReadOnlyList<StepSummary> Steps);

/// <summary>Runs: list, one with its steps, its trace, and cancelling it. Runs are started at <c>POST /api/playbooks/{id}/runs</c>.</summary>
internal static class RunsApi
{
    private const int PageSize = 200;

    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/runs").WithTags("Runs");
        group.MapGet("/", ListAsync).WithName("ListRuns").WithSummary($"The newest {PageSize} runs, optionally of one status")
            .WithDescription($"`status`: one of {string.Join(", ", Enum.GetNames<RunStatus>())}, in any case.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{runId:guid}", GetAsync).WithName("GetRun").WithSummary("One run with its status and steps")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{runId:guid}/trace", TraceAsync).WithName("GetRunTrace").WithSummary("The run's trace events in order")
            .WithDescription("`after`: only events with a greater sequence number, to catch up after a reconnect.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{runId:guid}/cancel", CancelAsync).WithName("CancelRun").WithSummary("Cancel a run that has not finished")
            .WithDescription("Open questions of the run are withdrawn. A run that already ended is a 409.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{runId:guid}/retry", RetryAsync).WithName("RetryRun").WithSummary("Retry a failed run from its failed step")
            .WithDescription("The failed step runs again; finished steps keep their outputs. A run that did not fail, or failed "
                + "without a failed step, is a 409.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{runId:guid}/rerun", RerunAsync).WithName("RerunRun")
            .WithSummary("Start a new run of the playbook's latest version with this run's inputs")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Results<Ok<List<RunSummary>>, ProblemHttpResult>> ListAsync(string? status,
        IDbContextFactory<BlazorOsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        IQueryable<Run> Filter(IQueryable<Run> runs, RunStatus? wanted) => wanted is { } w ? runs.Where(r => r.Status == w) : runs;

        RunStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ApiResults.BadRequest($"Unknown status '{status}'. Use one of: {string.Join(", ", Enum.GetNames<RunStatus>())}.");
            }

            wanted = parsed;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await Filter(db.Runs.AsNoTracking(), wanted).OrderByDescending(r => r.StartedAt).Take(PageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(ToSummary).ToList());
    }

    private static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> GetAsync(Guid runId,
        IDbContextFactory<BlazorOsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return ApiResults.NotFound($"Run {runId} does not exist.");
        }

        var steps = await db.StepRuns.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.StartedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(new RunDetail(ToSummary(run), steps.Select(s => new StepSummary(s.NodeId, s.Kind, s.Status, s.Port,
            s.Attempts, ApiJson.Parse(s.OutputJson), s.Error, s.StartedAt, s.EndedAt, s.TokensIn, s.TokensOut, s.CostMicros)).ToList()));
    }

    private static RunSummary ToSummary(Run r) => new(r.Id, r.PlaybookId, r.VersionNumber, r.Status, r.Trigger, r.StartedAt,
        r.EndedAt, r.Outcome, r.Error, r.TokensIn, r.TokensOut, r.CostMicros);

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

    private static Task<Results<Accepted, ProblemHttpResult>> RetryAsync(Guid runId, IPlaybookEngine engine, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        RunChangeAsync(runId, () => engine.RetryAsync(runId, user.Identity?.Name ?? "operator", cancellationToken));

    private static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> RerunAsync(Guid runId, IPlaybookEngine engine,
        CancellationToken cancellationToken)
    {
        try
        {
            var started = await engine.RerunAsync(runId, cancellationToken);
            return TypedResults.Accepted($"/api/runs/{started}", new StartRunResponse(started));
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
        catch (RunStartException ex)
        {
            // The latest version may ask for inputs the old run did not have.
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The run cannot start again");
        }
    }

    private static Task<Results<Accepted, ProblemHttpResult>> CancelAsync(Guid runId, IPlaybookEngine engine,
        ClaimsPrincipal user, CancellationToken cancellationToken) =>
        RunChangeAsync(runId, () => engine.CancelAsync(runId, user.Identity?.Name ?? "operator", cancellationToken));

    private static async Task<Results<Accepted, ProblemHttpResult>> RunChangeAsync(Guid runId, Func<Task> change)
    {
        try
        {
            await change();
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
}
