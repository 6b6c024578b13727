using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Traces;
using Microsoft.Agents.AI.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// The durable engine: starts runs, keeps one <see cref="RunSupervisor"/> per live run, delivers answers, resumes
/// runs from their last checkpoint after a restart, and settles what the engine itself cannot decide (a run that went
/// idle, a child run that ended).
/// </summary>
internal sealed partial class PlaybookEngine(
    IDbContextFactory<BlazorOsDbContext> dbFactory,
    IPlaybookDefinitionSource definitions,
    WorkflowCompiler compiler,
    EfCheckpointStore checkpointStore,
    RunLedger runs,
    TraceWriter trace,
    TimeProvider clock,
    ILogger<PlaybookEngine> logger) : IPlaybookEngine, ISubPlaybookRunner, IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, RunSupervisor> _live = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _idle = new();
    private readonly SemaphoreSlim _launching = new(1, 1);
    private readonly CheckpointManager _checkpoints = CheckpointManager.CreateJson(checkpointStore,
        new JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() });
    private volatile bool _shuttingDown;

    public IReadOnlyCollection<Guid> LiveRuns => [.. _live.Keys];

    public Task<Guid> StartAsync(StartRun request, CancellationToken cancellationToken = default) =>
        StartRunAsync(request, parentRunId: null, id: null, cancellationToken);

    public async Task<Guid> StartChildAsync(Guid parentRunId, Guid activation, string nodeId, Guid playbookId, JsonObject inputs,
        CancellationToken cancellationToken)
    {
        var childId = ActivationIds.Derive(parentRunId, "child:" + nodeId, [activation]);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Runs.AnyAsync(r => r.Id == childId, cancellationToken))
            {
                return childId;
            }
        }

        return await StartRunAsync(new StartRun(playbookId, inputs, RunTrigger.Playbook), parentRunId, childId, cancellationToken);
    }

    private async Task<Guid> StartRunAsync(StartRun request, Guid? parentRunId, Guid? id, CancellationToken cancellationToken)
    {
        Run run;
        RunContext context;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var playbook = await db.Playbooks.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PlaybookId, cancellationToken)
                ?? throw new RunStartException([new PlaybookProblem(null, "playbookId", $"There is no playbook {request.PlaybookId}.")]);
            var version = await db.PlaybookVersions.AsNoTracking()
                .SingleAsync(v => v.PlaybookId == playbook.Id && v.Number == playbook.LatestVersion, cancellationToken);
            var definition = definitions.Parse(version.Definition);
            var problems = RunInputs.Check(definition.Inputs, request.Inputs);
            if (problems.Count > 0)
            {
                throw new RunStartException(problems);
            }

            var inputs = RunInputs.WithDefaults(definition.Inputs, request.Inputs);
            run = Run.Start(playbook.Id, version.Id, version.Number, request.Trigger, inputs.ToJsonString(), Now,
                request.GoalId ?? playbook.GoalId, parentRunId, id);
            context = new RunContext(run.Id, playbook.Id, playbook.Name, version.Number, definition, inputs, run.StartedAt, parentRunId);
        }

        // The run and its first trace event in one transaction.
        await trace.WriteAsync(run.Id, [new TraceEntry("run.started", $"Run of {context.PlaybookName} v{context.Version} started ({request.Trigger})",
            Data: new JsonObject { ["inputs"] = context.Inputs.DeepClone(), ["trigger"] = request.Trigger.ToString() })], (db, _) =>
            {
                db.Runs.Add(run);
                return ValueTask.CompletedTask;
            }, cancellationToken);
        await LaunchAsync(context, from: null, cancellationToken);
        return run.Id;
    }

    public async Task AnswerAsync(Guid approvalId, ApprovalDecision decision, JsonNode? output, string answeredBy,
        CancellationToken cancellationToken = default)
    {
        Approval approval;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            approval = await db.Approvals.SingleOrDefaultAsync(a => a.Id == approvalId, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no approval {approvalId}.");
            if (approval.Status != ApprovalStatus.Open)
            {
                throw new AnswerRejectedException($"This {Describe(approval.Kind)} is already {approval.Status.ToString().ToLowerInvariant()}.", isConflict: true);
            }

            CheckFits(approval.Kind, decision, output);
            approval.Answer(decision, answeredBy, Now, output?.ToJsonString());
            await db.SaveChangesAsync(cancellationToken);
        }

        await trace.WriteAsync(approval.RunId, approval.Kind == ApprovalKind.Timer ? "timer.fired" : "approval.answered",
            approval.Kind == ApprovalKind.Timer ? "Timer fired" : $"{answeredBy} answered '{approval.Question}': {decision}",
            approval.NodeId, data: new JsonObject { ["decision"] = decision.ToString(), ["by"] = answeredBy, ["output"] = output?.DeepClone() },
            cancellationToken: cancellationToken);

        if (_live.TryGetValue(approval.RunId, out var supervisor))
        {
            await supervisor.DeliverAsync(approvalId);
        }
        else
        {
            // Not live here (it was waiting when the process restarted): resuming re-sends its open requests.
            await ResumeAsync(approval.RunId, cancellationToken);
        }
    }

    public async Task CancelAsync(Guid runId, string cancelledBy, CancellationToken cancellationToken = default)
    {
        List<Guid> children;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no run {runId}.");
            if (run.IsFinal)
            {
                throw new AnswerRejectedException($"The run is already {run.Status}.", isConflict: true);
            }

            run.Cancel(Now);
            foreach (var open in await db.Approvals.Where(a => a.RunId == runId && a.Status == ApprovalStatus.Open).ToListAsync(cancellationToken))
            {
                open.Cancel(Now);
            }

            await db.SaveChangesAsync(cancellationToken);
            children = await db.Runs.Where(r => r.ParentRunId == runId && (r.Status == RunStatus.Running || r.Status == RunStatus.Suspended))
                .Select(r => r.Id).ToListAsync(cancellationToken);
        }

        await trace.WriteAsync(runId, "run.cancelled", $"Cancelled by {cancelledBy}", level: TraceLevel.Warning, cancellationToken: cancellationToken);
        if (_live.TryGetValue(runId, out var supervisor))
        {
            await supervisor.StopAsync();
        }

        foreach (var child in children)
        {
            await CancelAsync(child, cancelledBy, cancellationToken);
        }
    }

    public async Task RetryAsync(Guid runId, string retriedBy, CancellationToken cancellationToken = default)
    {
        // A run that has just failed may still be settling in this process; reopening it under its supervisor would
        // have the supervisor fail it again as idle.
        await WaitForIdleAsync(runId, TimeSpan.FromSeconds(30));
        string nodeId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no run {runId}.");
            if (run.Status != RunStatus.Failed)
            {
                throw new AnswerRejectedException($"Only a failed run can be retried; this one is {run.Status}.", isConflict: true);
            }

            // A step that failed for good has no port; one that took its error edge was handled by the playbook.
            var failed = await db.StepRuns.Where(s => s.RunId == runId && s.Status == StepStatus.Failed && s.Port == null)
                .ToListAsync(cancellationToken);
            if (failed.Count == 0)
            {
                throw new AnswerRejectedException(
                    $"No step of this run failed ({run.Error}); start it again with the same inputs instead.", isConflict: true);
            }

            foreach (var step in failed)
            {
                step.ResetForRetry();
            }

            run.Reopen();
            await db.SaveChangesAsync(cancellationToken);
            nodeId = string.Join(", ", failed.Select(s => s.NodeId));
        }

        await trace.WriteAsync(runId, "run.retried", $"{retriedBy} retried the run from {nodeId}", cancellationToken: cancellationToken);
        // The finished run's checkpoints were pruned: the run replays from the start, and every step the store has
        // finished reports its recorded outcome instead of running again.
        await ResumeAsync(runId, afterRestart: false, cancellationToken);
    }

    public async Task<Guid> RerunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no run {runId}.");
        var inputs = JsonNode.Parse(run.InputsJson) as JsonObject ?? [];
        return await StartAsync(new StartRun(run.PlaybookId, inputs, RunTrigger.Manual, run.GoalId), cancellationToken);
    }

    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        List<Guid> unfinished;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            unfinished = await db.Runs.AsNoTracking()
                .Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Suspended)
                .OrderBy(r => r.StartedAt).Select(r => r.Id).ToListAsync(cancellationToken);
        }

        foreach (var runId in unfinished)
        {
            try
            {
                await ResumeAsync(runId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One run that cannot be resumed (its version no longer parses, its checkpoint is damaged) must not
                // keep the others from resuming: it fails with the reason.
                LogRecoveryFailed(ex, runId);
                await runs.FailAsync(runId, $"Could not resume after a restart: {ex.GetBaseException().Message}", cancellationToken);
            }
        }
    }

    public async Task<bool> WaitForIdleAsync(Guid runId, TimeSpan timeout)
    {
        if (!_live.ContainsKey(runId))
        {
            return true;
        }

        var idle = _idle.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_live.ContainsKey(runId))
        {
            return true;
        }

        return await Task.WhenAny(idle.Task, Task.Delay(timeout)) == idle.Task;
    }

    /// <summary>Delivers answers the clock gives (due timers, timed-out approvals) and ends of child runs.</summary>
    internal async Task<int> SettleDueWaitsAsync(CancellationToken cancellationToken)
    {
        List<(Guid Id, ApprovalKind Kind, string? Context)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = Now;
            due = (await db.Approvals.AsNoTracking()
                .Where(a => a.Status == ApprovalStatus.Open && ((a.DueAt != null && a.DueAt <= now) || a.Kind == ApprovalKind.ChildRun))
                .Select(a => new { a.Id, a.Kind, a.ContextJson })
                .ToListAsync(cancellationToken)).Select(a => (a.Id, a.Kind, a.ContextJson)).ToList();
        }

        var settled = 0;
        foreach (var (id, kind, contextJson) in due)
        {
            try
            {
                if (kind != ApprovalKind.ChildRun)
                {
                    await AnswerAsync(id, ApprovalDecision.TimedOut, output: null, "scheduler", cancellationToken);
                    settled++;
                }
                else if (await ChildResultAsync(contextJson, cancellationToken) is { } result)
                {
                    await AnswerAsync(id, ApprovalDecision.ChildEnded, result, "engine", cancellationToken);
                    settled++;
                }
            }
            catch (AnswerRejectedException)
            {
                // Answered by someone else between the query and now.
            }
        }

        return settled;
    }

    private async Task<JsonObject?> ChildResultAsync(string? contextJson, CancellationToken cancellationToken)
    {
        if (contextJson is null || JsonNode.Parse(contextJson)?["childRunId"]?.GetValue<string>() is not { } text
            || !Guid.TryParse(text, out var childId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var child = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == childId, cancellationToken);
        return child is { IsFinal: true }
            ? new JsonObject { ["runId"] = child.Id.ToString(), ["status"] = child.Status.ToString(), ["outcome"] = child.Outcome, ["error"] = child.Error }
            : null;
    }

    private async Task ResumeAsync(Guid runId, CancellationToken cancellationToken) => await ResumeAsync(runId, afterRestart: true, cancellationToken);

    private async Task ResumeAsync(Guid runId, bool afterRestart, CancellationToken cancellationToken)
    {
        if (_live.ContainsKey(runId))
        {
            return;
        }

        RunContext context;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
            if (run.IsFinal)
            {
                return;
            }

            var version = await db.PlaybookVersions.AsNoTracking().SingleAsync(v => v.Id == run.PlaybookVersionId, cancellationToken);
            var name = await db.Playbooks.Where(p => p.Id == run.PlaybookId).Select(p => p.Name).SingleAsync(cancellationToken);
            var inputs = JsonNode.Parse(run.InputsJson) as JsonObject ?? [];
            context = new RunContext(run.Id, run.PlaybookId, name, version.Number, definitions.Parse(version.Definition), inputs,
                run.StartedAt, run.ParentRunId, Resumed: true);
        }

        var checkpoint = await _checkpoints.GetLatestCheckpointAsync(SessionOf(runId), cancellationToken);
        if (afterRestart)
        {
            await trace.WriteAsync(runId, "run.recovered", checkpoint is null
                ? "Resuming after a restart: no checkpoint yet, replaying from the start (finished steps are not repeated)"
                : "Resuming after a restart from the last checkpoint", cancellationToken: cancellationToken);
        }

        await LaunchAsync(context, checkpoint, cancellationToken);
    }

    private async Task LaunchAsync(RunContext context, CheckpointInfo? from, CancellationToken cancellationToken)
    {
        await _launching.WaitAsync(cancellationToken);
        try
        {
            // After shutdown began nothing new starts watching (a settling child may try to wake its parent): the run
            // resumes at the next start.
            if (_shuttingDown || _live.ContainsKey(context.RunId))
            {
                return;
            }

            var workflow = compiler.Compile(context);
            var environment = InProcessExecution.Concurrent.WithCheckpointing(_checkpoints);
            var handle = from is null
                ? await environment.RunStreamingAsync(workflow, new StepToken("", "start", ActivationIds.Root(context.RunId)),
                    SessionOf(context.RunId), cancellationToken)
                : await environment.ResumeStreamingAsync(workflow, from, cancellationToken);
            var supervisor = new RunSupervisor(context, handle, IsAnsweredAsync);
            _live[context.RunId] = supervisor;
            supervisor.Supervision = Task.Run(() => SuperviseAsync(supervisor), CancellationToken.None);
        }
        finally
        {
            _launching.Release();
        }
    }

    private async Task SuperviseAsync(RunSupervisor supervisor)
    {
        var runId = supervisor.Run.RunId;
        try
        {
            await supervisor.WatchAsync();
            if (!_shuttingDown)
            {
                await SettleAsync(supervisor);
            }
        }
        catch (Exception ex)
        {
            LogSupervisionFailed(ex, runId);
            if (!_shuttingDown)
            {
                await runs.FailAsync(runId, $"The engine failed: {ex.GetBaseException().Message}", CancellationToken.None);
            }
        }
        finally
        {
            _live.TryRemove(runId, out _);
            await supervisor.DisposeAsync();
            if (_idle.TryRemove(runId, out var idle))
            {
                idle.TrySetResult();
            }
        }
    }

    /// <summary>After the stream ended: fail a run that went idle or broke, then clean up a finished one.</summary>
    private async Task SettleAsync(RunSupervisor supervisor)
    {
        var runId = supervisor.Run.RunId;
        Run run;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        }

        if (!run.IsFinal)
        {
            var reason = supervisor.EngineError is { } error
                ? $"The engine stopped the run: {error}"
                : await IdleReasonAsync(supervisor.Run);
            await runs.FailAsync(runId, reason, CancellationToken.None);
            await trace.WriteAsync(runId, "run.failed", reason, level: TraceLevel.Error);
        }

        await checkpointStore.DeleteAsync(SessionOf(runId), CancellationToken.None);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var now = Now;
            await db.Approvals.Where(a => a.RunId == runId && a.Status == ApprovalStatus.Open)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, ApprovalStatus.Cancelled).SetProperty(x => x.AnsweredAt, now));
        }

        trace.Forget(runId);
        if (supervisor.Run.ParentRunId is not null)
        {
            await SettleDueWaitsAsync(CancellationToken.None);
        }
    }

    private async Task<string> IdleReasonAsync(RunContext run)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var last = await db.StepRuns.AsNoTracking().Where(s => s.RunId == run.RunId && s.EndedAt != null)
            .OrderByDescending(s => s.EndedAt).Take(3).Select(s => new { s.NodeId, s.Port }).ToListAsync();
        var where = last.Count == 0 ? "no step finished" : "last steps: " + string.Join(", ", last.Select(s => $"{s.NodeId} → {s.Port}"));
        return $"The run stopped without reaching an end node ({where}): a branch ended on a port with no edge, or a join never got all its inputs.";
    }

    private async Task<bool> IsAnsweredAsync(Guid waitId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Approvals.AnyAsync(a => a.Id == waitId && a.Status == ApprovalStatus.Answered);
    }

    /// <summary>
    /// Stops watching without touching the rows of unfinished runs: they resume at the next start. Waits for every
    /// supervision to finish, so a run that ended a moment ago is settled (checkpoints dropped, questions withdrawn)
    /// before the services it needs are disposed.
    /// </summary>
    public async Task ShutdownAsync()
    {
        List<RunSupervisor> live;
        await _launching.WaitAsync();
        try
        {
            // Under the launch lock: every live run has its supervision task, and no launch slips in after the snapshot.
            _shuttingDown = true;
            live = [.. _live.Values];
        }
        finally
        {
            _launching.Release();
        }

        foreach (var supervisor in live)
        {
            await supervisor.StopAsync();
        }

        // A supervision logs its own failures; one that failed must not fail the app's stop.
        await Task.WhenAll(live.Select(s => s.Supervision)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <remarks>
    /// The container disposes this once for each registration that hands it out (engine, IPlaybookEngine,
    /// ISubPlaybookRunner), and a host may stop its hosted services (which shut the engine down) after that. So the
    /// launch lock stays usable: a SemaphoreSlim whose wait handle is never asked for holds nothing to release.
    /// </remarks>
    public async ValueTask DisposeAsync() => await ShutdownAsync();

    private static void CheckFits(ApprovalKind kind, ApprovalDecision decision, JsonNode? output)
    {
        var fits = kind switch
        {
            ApprovalKind.Approval => decision is ApprovalDecision.Approve or ApprovalDecision.Reject or ApprovalDecision.Modify or ApprovalDecision.TimedOut,
            ApprovalKind.OperatorTask => decision is ApprovalDecision.Modify or ApprovalDecision.TimedOut,
            ApprovalKind.Escalation => decision is ApprovalDecision.Retry or ApprovalDecision.Skip or ApprovalDecision.Fail,
            ApprovalKind.Timer => decision is ApprovalDecision.TimedOut,
            _ => decision is ApprovalDecision.ChildEnded,
        };
        if (!fits)
        {
            throw new AnswerRejectedException(kind switch
            {
                ApprovalKind.Approval => "An approval is answered with approve, reject or modify.",
                ApprovalKind.OperatorTask => "A task is answered with modify and the output you wrote.",
                ApprovalKind.Escalation => "An escalation is answered with retry, skip (with an output) or fail.",
                _ => "This wait is answered by BlazorOs itself.",
            });
        }

        if (decision == ApprovalDecision.Modify && output is null)
        {
            throw new AnswerRejectedException("'modify' needs the output.");
        }
    }

    private static string Describe(ApprovalKind kind) => kind switch
    {
        ApprovalKind.Escalation => "escalation",
        ApprovalKind.OperatorTask => "task",
        ApprovalKind.Timer => "timer",
        ApprovalKind.ChildRun => "sub-playbook wait",
        _ => "approval",
    };

    private static string SessionOf(Guid runId) => runId.ToString("N");

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} could not be resumed")]
    private partial void LogRecoveryFailed(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Supervising run {RunId} failed")]
    private partial void LogSupervisionFailed(Exception exception, Guid runId);
}
