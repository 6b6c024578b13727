using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Policy;
using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// Runs one step of one run, wrapping the activity in a fixed order: replay check (a step the store has finished is
/// not run again), policy gate, tracing, retry with per-attempt timeout, then error edge or escalation. Activities never
/// throw into the engine: a step that throws would end the whole workflow and discard its superstep.
/// </summary>
/// <remarks>
/// Every commit is an fsync, so a step's row and its trace events are written together: one transaction when it starts,
/// one when it ends. An <see cref="IActivity.IsInstant"/> step has nothing worth recording before it ends (a crash in
/// between replays it with the same result), so it is written once, when it ends.
/// </remarks>
internal sealed class ActivityHost(
    IDbContextFactory<BlazorOsDbContext> dbFactory,
    ActivityCatalog catalog,
    PolicyEngine policy,
    StepScopeLoader scopes,
    TraceWriter trace,
    RunLedger runs,
    IServiceProvider services,
    TimeProvider clock)
{
    private const string PolicyGate = "policy";

    /// <summary>A token reached the node: run the step for this activation, or report what it already did.</summary>
    public async Task<HostOutcome> RunAsync(RunContext run, PlaybookNode node, Guid activation, string? arrivedThroughPort,
        CancellationToken cancellationToken)
    {
        // Only a resumed run can meet an activation the store already has (its superstep runs again).
        if (run.Resumed)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var existing = await db.StepRuns.AsNoTracking().SingleOrDefaultAsync(s => s.Id == activation, cancellationToken);
            if (existing is not null)
            {
                return await ReplayAsync(run, node, existing, cancellationToken);
            }
        }

        var activity = catalog.Get(node.Kind);
        var decision = policy.Decide(run.Definition.Delegation, activity.Descriptor, arrivedThroughPort);
        List<TraceEntry> started = [Entry(node, 1, "step.started", $"{Label(node)} started")];
        if (activity.Descriptor.HasExternalEffect || decision.Verdict != PolicyVerdict.Allow)
        {
            started.Add(Entry(node, 1, "policy.decision", $"{decision.Verdict}: {decision.Reason}",
                new JsonObject { ["verdict"] = decision.Verdict.ToString(), ["reason"] = decision.Reason }));
        }

        var step = new StepRecord(StepRun.Begin(activation, run.RunId, node.Id, node.Kind, null, Now));
        if (activity.IsInstant && decision.Verdict == PolicyVerdict.Allow)
        {
            step.Pending.AddRange(started);
        }
        else
        {
            await SaveAsync(run, step, change: null, started, cancellationToken);
        }

        return decision.Verdict switch
        {
            PolicyVerdict.Deny => await FailAsync(run, node, step, $"Policy denied the step: {decision.Reason}", cancellationToken),
            PolicyVerdict.RequireApproval => await OpenWaitAsync(run, node, step, new WaitRequest(WaitKind.Approval,
                $"Run '{Label(node)}'?", new JsonObject { ["gate"] = PolicyGate, ["step"] = node.Id, ["kind"] = node.Kind,
                    ["settings"] = node.Settings.DeepClone() }, PolicyReason: decision.Reason), cancellationToken),
            _ => await ExecuteAsync(run, node, step, attempt: 1, answer: null,
                activity.Descriptor.HasExternalEffect ? decision.Reason : null, cancellationToken),
        };
    }

    /// <summary>The wait <paramref name="waitId"/> was answered: continue the step it belongs to.</summary>
    public async Task<HostOutcome> ResumeAsync(RunContext run, PlaybookNode node, Guid waitId, CancellationToken cancellationToken)
    {
        Approval wait;
        StepRun row;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            wait = await db.Approvals.AsNoTracking().SingleAsync(a => a.Id == waitId, cancellationToken);
            row = await db.StepRuns.AsNoTracking().SingleAsync(s => s.Id == wait.StepRunId, cancellationToken);
        }

        if (row.Status != StepStatus.Waiting)
        {
            return await ReplayAsync(run, node, row, cancellationToken);
        }

        if (wait.Status != ApprovalStatus.Answered)
        {
            return new HostOutcome.Wait(wait.Id);
        }

        await runs.RefreshStatusAsync(run.RunId, cancellationToken);
        var step = new StepRecord(row, stored: true);
        var attempts = row.Attempts;
        if (wait.Kind == ApprovalKind.Escalation)
        {
            return wait.Decision switch
            {
                ApprovalDecision.Retry => await RetryAfterEscalationAsync(run, node, step, cancellationToken),
                ApprovalDecision.Skip => await CompleteAsync(run, node, step, attempts,
                    new ActivityResult.Completed(PlaybookEdge.DefaultPort, ParseOutput(wait.OutputJson)), skipped: true, cancellationToken),
                _ => await FailRunAsync(run, node, step, $"{Label(node)} failed and you chose to fail the run.", cancellationToken),
            };
        }

        var answer = ToAnswer(wait);
        if (IsPolicyGate(wait))
        {
            return answer.Kind is AnswerKind.Approved or AnswerKind.Modified
                ? await ExecuteAsync(run, node, step, attempts, answer: null, wait.PolicyReason, cancellationToken)
                : await FailAsync(run, node, step, $"You declined to run {Label(node)}.", cancellationToken);
        }

        return await ExecuteAsync(run, node, step, attempts, answer, wait.PolicyReason, cancellationToken);
    }

    private async Task<HostOutcome> ReplayAsync(RunContext run, PlaybookNode node, StepRun step, CancellationToken cancellationToken)
    {
        switch (step.Status)
        {
            case StepStatus.Completed or StepStatus.Skipped when step.Port == EndPort:
                return new HostOutcome.EndRun();
            case StepStatus.Completed or StepStatus.Skipped:
                return new HostOutcome.Emit(step.Port ?? PlaybookEdge.DefaultPort, step.Id);
            case StepStatus.Failed when step.Port is not null:
                return new HostOutcome.Emit(step.Port, step.Id);
            case StepStatus.Failed:
                return new HostOutcome.EndRun();
            case StepStatus.Waiting:
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    var wait = await db.Approvals.AsNoTracking()
                        .Where(a => a.StepRunId == step.Id).OrderByDescending(a => a.CreatedAt).FirstAsync(cancellationToken);
                    return new HostOutcome.Wait(wait.Id);
                }

            default:
                // Pending: the operator retried the failed run from this step. Otherwise the process died during this
                // step: run it again. Effects carry idempotency keys, so a repeated HTTP call is recognised; the trace
                // says it happened.
                var attempt = step.Attempts + 1;
                var record = new StepRecord(step, stored: true);
                var entry = step.Status == StepStatus.Pending
                    ? Entry(node, attempt, "step.retry", $"{Label(node)}: you retried the failed run from here")
                    : Entry(node, attempt, "step.recovered", $"{Label(node)} was interrupted (the process stopped); running it again",
                        level: TraceLevel.Warning);
                await SaveAsync(run, record, s => s.Retry(), [entry], cancellationToken);
                return await ExecuteAsync(run, node, record, attempt, answer: null, policyReason: null, cancellationToken);
        }
    }

    private async Task<HostOutcome> RetryAfterEscalationAsync(RunContext run, PlaybookNode node, StepRecord step, CancellationToken cancellationToken)
    {
        var attempt = step.Row.Attempts + 1;
        await SaveAsync(run, step, s => s.Retry(), [Entry(node, attempt, "step.retry", $"{Label(node)}: you chose to retry")], cancellationToken);
        return await ExecuteAsync(run, node, step, attempt, answer: null, policyReason: null, cancellationToken);
    }

    private async Task<HostOutcome> ExecuteAsync(RunContext run, PlaybookNode node, StepRecord step, int attempt, WaitAnswer? answer,
        string? policyReason, CancellationToken cancellationToken)
    {
        var activation = step.Id;
        var activity = catalog.Get(node.Kind);
        var scope = await scopes.LoadAsync(run, cancellationToken);
        var retry = node.Retry ?? RetryPolicy.None;
        var current = attempt;
        var pipeline = BuildPipeline(run, node, step, retry, () => current++);
        ActivityResult result;
        try
        {
            result = await pipeline.ExecuteAsync(async token =>
            {
                var stepTrace = new StepTrace(this, run, node, current, activation);
                var context = new ActivityContext(run.RunId, node.Id, current, node.Settings, scope, stepTrace, services)
                {
                    Usage = stepTrace,
                    Answer = answer,
                    PolicyReason = policyReason,
                    Activation = activation,
                    Memory = run.Definition.Memory,
                };
                return await activity.ExecuteAsync(context, token);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = new ActivityResult.Failed(Describe(ex, node));
        }

        return result switch
        {
            ActivityResult.Completed completed => await CompleteAsync(run, node, step, current, completed, skipped: false, cancellationToken),
            ActivityResult.Ended ended => await EndAsync(run, node, step, ended, cancellationToken),
            ActivityResult.Waiting waiting => await OpenWaitAsync(run, node, step, waiting.Request, cancellationToken),
            ActivityResult.Failed failed => await FailAsync(run, node, step, failed.Error, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown activity result {result.GetType().Name}."),
        };
    }

    private ResiliencePipeline<ActivityResult> BuildPipeline(RunContext run, PlaybookNode node, StepRecord step, RetryPolicy retry,
        Func<int> nextAttempt)
    {
        var builder = new ResiliencePipelineBuilder<ActivityResult>();
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<ActivityResult>
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                Delay = TimeSpan.FromMilliseconds(Math.Max(0, retry.InitialDelayMs)),
                BackoffType = retry.Backoff == "exponential" ? DelayBackoffType.Exponential : DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is ActivityResult.Failed { Retryable: true }
                    || args.Outcome.Exception is not null and not OperationCanceledException),
                OnRetry = async args =>
                {
                    var failedAttempt = nextAttempt();
                    var reason = args.Outcome.Result is ActivityResult.Failed failed ? failed.Error
                        : args.Outcome.Exception is { } exception ? Describe(exception, node) : null;
                    await SaveAsync(run, step, s => s.Retry(), [Entry(node, failedAttempt, "step.retry",
                        $"Attempt {failedAttempt} failed ({reason}); retrying in {args.RetryDelay.TotalMilliseconds:0} ms",
                        new JsonObject { ["error"] = reason, ["delayMs"] = args.RetryDelay.TotalMilliseconds }, TraceLevel.Warning)],
                        CancellationToken.None);
                },
            });
        }

        if (node.TimeoutMs is > 0)
        {
            builder.AddTimeout(TimeSpan.FromMilliseconds(node.TimeoutMs.Value));
        }

        return builder.Build();
    }

    private async Task<HostOutcome> CompleteAsync(RunContext run, PlaybookNode node, StepRecord step, int attempt,
        ActivityResult.Completed completed, bool skipped, CancellationToken cancellationToken)
    {
        var output = completed.Output?.ToJsonString();
        await SaveAsync(run, step, s =>
        {
            if (skipped)
            {
                s.Skip(output, Now);
            }
            else
            {
                s.Complete(completed.Port, output, Now);
            }
        }, [Entry(node, attempt, skipped ? "step.skipped" : "step.completed",
            skipped ? $"{Label(node)} skipped with the output you gave" : $"{Label(node)} completed → {completed.Port}",
            new JsonObject { ["port"] = completed.Port, ["output"] = completed.Output?.DeepClone() })], cancellationToken);
        run.Outputs.Record(node.Id, output);
        return new HostOutcome.Emit(completed.Port, step.Id);
    }

    private async Task<HostOutcome> EndAsync(RunContext run, PlaybookNode node, StepRecord step, ActivityResult.Ended ended,
        CancellationToken cancellationToken)
    {
        var kpis = new JsonObject();
        foreach (var (name, value) in ended.Kpis)
        {
            kpis[name] = value;
        }

        var output = new JsonObject { ["outcome"] = ended.Outcome, ["kpi"] = kpis };
        // Step, trace and run in one transaction: whoever sees the run Completed also sees its whole trace, and a crash
        // cannot leave an ended step on a run that never ends.
        await SaveAsync(run, step, s => s.Complete(EndPort, output.ToJsonString(), Now),
            [Entry(node, 1, "run.completed", $"Run completed{(ended.Outcome is null ? "" : $": {ended.Outcome}")}", output)],
            cancellationToken, alongside: async (db, token) =>
            {
                var row = await db.Runs.SingleAsync(r => r.Id == run.RunId, token);
                if (!row.IsFinal)
                {
                    row.Complete(ended.Outcome, Now);
                }
            });
        return new HostOutcome.EndRun();
    }

    private async Task<HostOutcome> OpenWaitAsync(RunContext run, PlaybookNode node, StepRecord step, WaitRequest request,
        CancellationToken cancellationToken, ApprovalKind? escalation = null)
    {
        var kind = escalation ?? request.Kind switch
        {
            WaitKind.Approval => ApprovalKind.Approval,
            WaitKind.OperatorTask => ApprovalKind.OperatorTask,
            WaitKind.Timer => ApprovalKind.Timer,
            _ => ApprovalKind.ChildRun,
        };
        var wait = Approval.Open(run.RunId, node.Id, kind, TraceWriter.Truncate(request.Question, 2000), Now,
            request.Context?.ToJsonString(), request.PolicyReason, request.DueAt, step.Id, request.OnTimeout);
        var (traceKind, message) = kind switch
        {
            ApprovalKind.Timer => ("timer.set", $"{Label(node)} waits until {request.DueAt:u}"),
            ApprovalKind.ChildRun => ("subplaybook.waiting", $"{Label(node)} waits for its sub-playbook run"),
            ApprovalKind.OperatorTask => ("approval.requested", $"{Label(node)} needs you: {request.Question}"),
            ApprovalKind.Escalation => ("escalation.opened", request.Question),
            _ => ("approval.requested", $"{Label(node)} asks: {request.Question}"),
        };
        var opened = Entry(node, 1, traceKind, message,
            new JsonObject { ["waitId"] = wait.Id.ToString(), ["dueAt"] = request.DueAt?.ToString("O"), ["reason"] = request.PolicyReason });
        // One commit: the step waits, the question exists, the run is Suspended (when it asks the operator) and the event
        // is written; the event is published after it, so a live page never sees the question before the run's status.
        await SaveAsync(run, step, s => s.Wait(), [opened], cancellationToken, alongside: async (db, token) =>
        {
            db.Approvals.Add(wait);
            await RunLedger.RefreshStatusAsync(db, run.RunId, wait, token);
        });
        return new HostOutcome.Wait(wait.Id);
    }

    /// <summary>Retries are spent: take the error edge if there is one, else escalate to the operator.</summary>
    private async Task<HostOutcome> FailAsync(RunContext run, PlaybookNode node, StepRecord step, string error, CancellationToken cancellationToken)
    {
        TraceEntry failed = Entry(node, 1, "step.failed", $"{Label(node)} failed: {error}", new JsonObject { ["error"] = error }, TraceLevel.Error);
        if (run.Definition.EdgesFrom(node.Id).Any(e => e.Port == PlaybookEdge.ErrorPort))
        {
            await SaveAsync(run, step, s => s.Fail(error, Now, PlaybookEdge.ErrorPort), [failed], cancellationToken);
            return new HostOutcome.Emit(PlaybookEdge.ErrorPort, step.Id);
        }

        await SaveAsync(run, step, change: null, [failed], cancellationToken);
        return await OpenWaitAsync(run, node, step, new WaitRequest(WaitKind.Approval,
            $"{Label(node)} failed: {error}. Retry it, skip it with an output, or fail the run?",
            new JsonObject { ["error"] = error, ["step"] = node.Id, ["kind"] = node.Kind }), cancellationToken, ApprovalKind.Escalation);
    }

    private async Task<HostOutcome> FailRunAsync(RunContext run, PlaybookNode node, StepRecord step, string reason,
        CancellationToken cancellationToken)
    {
        await SaveAsync(run, step, s => s.Fail(reason, Now), [], cancellationToken);
        await runs.FailAsync(run.RunId, reason, cancellationToken);
        await TraceAsync(run, node, 1, "run.failed", reason, level: TraceLevel.Error, cancellationToken: cancellationToken);
        return new HostOutcome.EndRun();
    }

    /// <summary>
    /// Why an attempt threw. A per-attempt timeout arrives as Polly's <see cref="TimeoutRejectedException"/> around the
    /// cancelled call, whose base exception says only "Operation canceled": name the timeout instead.
    /// </summary>
    private static string Describe(Exception exception, PlaybookNode node) => exception is TimeoutRejectedException
        ? $"Timed out after {node.TimeoutMs} ms."
        : exception.GetBaseException().Message;

    private static bool IsPolicyGate(Approval wait) =>
        wait.ContextJson is { } json && JsonNode.Parse(json) is JsonObject context && context["gate"]?.GetValue<string>() == PolicyGate;

    private static WaitAnswer ToAnswer(Approval wait) => new(wait.Decision switch
    {
        ApprovalDecision.Approve => AnswerKind.Approved,
        ApprovalDecision.Reject => AnswerKind.Rejected,
        ApprovalDecision.Modify when wait.Kind == ApprovalKind.OperatorTask => AnswerKind.Provided,
        ApprovalDecision.Modify => AnswerKind.Modified,
        ApprovalDecision.ChildEnded => AnswerKind.ChildEnded,
        ApprovalDecision.TimedOut when wait.Kind == ApprovalKind.Timer => AnswerKind.TimerFired,
        _ => AnswerKind.TimedOut,
    }, ParseOutput(wait.OutputJson), wait.AnsweredBy ?? "operator", wait.AnsweredAt ?? DateTime.UtcNow);

    private static JsonNode? ParseOutput(string? json) => json is null ? null : JsonNode.Parse(json);

    /// <summary>
    /// Writes the step's row (inserted the first time, else only the columns <paramref name="change"/> sets: usage that
    /// an agent recorded meanwhile is left alone), its pending trace events, <paramref name="traces"/> and whatever
    /// <paramref name="alongside"/> adds, in one transaction.
    /// </summary>
    private async Task SaveAsync(RunContext run, StepRecord step, Action<StepRun>? change, IReadOnlyList<TraceEntry> traces,
        CancellationToken cancellationToken, Func<BlazorOsDbContext, CancellationToken, ValueTask>? alongside = null)
    {
        await trace.WriteAsync(run.RunId, [.. step.Pending, .. traces], async (db, token) =>
        {
            if (step.Stored)
            {
                db.StepRuns.Attach(step.Row);
            }
            else
            {
                db.StepRuns.Add(step.Row);
            }

            change?.Invoke(step.Row);
            if (alongside is not null)
            {
                await alongside(db, token);
            }
        }, cancellationToken);
        step.Stored = true;
        step.Pending.Clear();
    }

    /// <summary>A trace event of this step, stamped now: it may be written later, with the step's next change.</summary>
    private TraceEntry Entry(PlaybookNode node, int attempt, string kind, string message, JsonNode? data = null,
        TraceLevel level = TraceLevel.Info) => new(kind, message, node.Id, attempt, data, level, Now);

    private ValueTask<TraceMessage> TraceAsync(RunContext run, PlaybookNode node, int attempt, string kind, string message,
        JsonNode? data = null, TraceLevel level = TraceLevel.Info, CancellationToken cancellationToken = default) =>
        trace.WriteAsync(run.RunId, kind, message, node.Id, attempt, data, level, cancellationToken);

    private Task RecordUsageAsync(Guid runId, Guid activation, long tokensIn, long tokensOut, long costMicros,
        CancellationToken cancellationToken) => runs.RecordUsageAsync(runId, activation, tokensIn, tokensOut, costMicros, cancellationToken);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    internal static string Label(PlaybookNode node) => string.IsNullOrWhiteSpace(node.Label) ? node.Id : $"{node.Label} ({node.Id})";

    /// <summary>The port an end node's step records: nothing leaves an end node.</summary>
    internal const string EndPort = "end";

    /// <summary>A step's row as this host last wrote it (or will first write it), and trace events that go with its next write.</summary>
    private sealed class StepRecord(StepRun row, bool stored = false)
    {
        public StepRun Row { get; } = row;
        public Guid Id => Row.Id;
        public bool Stored { get; set; } = stored;
        public List<TraceEntry> Pending { get; } = [];
    }

    private sealed class StepTrace(ActivityHost host, RunContext run, PlaybookNode node, int attempt, Guid activation) : IStepTrace, IStepUsage
    {
        public async ValueTask WriteAsync(string kind, string message, JsonNode? data = null, TraceLevel level = TraceLevel.Info,
            CancellationToken cancellationToken = default) =>
            await host.TraceAsync(run, node, attempt, kind, message, data, level, cancellationToken);

        public async ValueTask RecordAsync(long tokensIn, long tokensOut, long costMicros, CancellationToken cancellationToken = default) =>
            await host.RecordUsageAsync(run.RunId, activation, tokensIn, tokensOut, costMicros, cancellationToken);
    }
}
