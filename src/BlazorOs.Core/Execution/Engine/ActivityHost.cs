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
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var existing = await db.StepRuns.AsNoTracking().SingleOrDefaultAsync(s => s.Id == activation, cancellationToken);
            if (existing is not null)
            {
                return await ReplayAsync(run, node, existing, cancellationToken);
            }

            db.StepRuns.Add(StepRun.Begin(activation, run.RunId, node.Id, node.Kind, null, Now));
            await db.SaveChangesAsync(cancellationToken);
        }

        await TraceAsync(run, node, 1, "step.started", $"{Label(node)} started", cancellationToken: cancellationToken);
        var activity = catalog.Get(node.Kind);
        var decision = policy.Decide(run.Definition.Delegation, activity.Descriptor, arrivedThroughPort);
        if (activity.Descriptor.HasExternalEffect || decision.Verdict != PolicyVerdict.Allow)
        {
            await TraceAsync(run, node, 1, "policy.decision", $"{decision.Verdict}: {decision.Reason}",
                new JsonObject { ["verdict"] = decision.Verdict.ToString(), ["reason"] = decision.Reason }, cancellationToken: cancellationToken);
        }

        return decision.Verdict switch
        {
            PolicyVerdict.Deny => await FailAsync(run, node, activation, $"Policy denied the step: {decision.Reason}", cancellationToken),
            PolicyVerdict.RequireApproval => await OpenWaitAsync(run, node, activation, new WaitRequest(WaitKind.Approval,
                $"Run '{Label(node)}'?", new JsonObject { ["gate"] = PolicyGate, ["step"] = node.Id, ["kind"] = node.Kind,
                    ["settings"] = node.Settings.DeepClone() }, PolicyReason: decision.Reason), cancellationToken),
            _ => await ExecuteAsync(run, node, activation, attempt: 1, answer: null,
                activity.Descriptor.HasExternalEffect ? decision.Reason : null, cancellationToken),
        };
    }

    /// <summary>The wait <paramref name="waitId"/> was answered: continue the step it belongs to.</summary>
    public async Task<HostOutcome> ResumeAsync(RunContext run, PlaybookNode node, Guid waitId, CancellationToken cancellationToken)
    {
        Approval wait;
        StepRun step;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            wait = await db.Approvals.AsNoTracking().SingleAsync(a => a.Id == waitId, cancellationToken);
            step = await db.StepRuns.AsNoTracking().SingleAsync(s => s.Id == wait.StepRunId, cancellationToken);
        }

        if (step.Status != StepStatus.Waiting)
        {
            return await ReplayAsync(run, node, step, cancellationToken);
        }

        if (wait.Status != ApprovalStatus.Answered)
        {
            return new HostOutcome.Wait(wait.Id);
        }

        await runs.RefreshStatusAsync(run.RunId, cancellationToken);
        if (wait.Kind == ApprovalKind.Escalation)
        {
            return wait.Decision switch
            {
                ApprovalDecision.Retry => await RetryAfterEscalationAsync(run, node, step, cancellationToken),
                ApprovalDecision.Skip => await CompleteAsync(run, node, step.Id, step.Attempts,
                    new ActivityResult.Completed(PlaybookEdge.DefaultPort, ParseOutput(wait.OutputJson)), skipped: true, cancellationToken),
                _ => await FailRunAsync(run, node, step.Id, $"{Label(node)} failed and you chose to fail the run.", cancellationToken),
            };
        }

        var answer = ToAnswer(wait);
        if (IsPolicyGate(wait))
        {
            return answer.Kind is AnswerKind.Approved or AnswerKind.Modified
                ? await ExecuteAsync(run, node, step.Id, step.Attempts, answer: null, wait.PolicyReason, cancellationToken)
                : await FailAsync(run, node, step.Id, $"You declined to run {Label(node)}.", cancellationToken);
        }

        return await ExecuteAsync(run, node, step.Id, step.Attempts, answer, wait.PolicyReason, cancellationToken);
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

            case StepStatus.Pending:
                await TraceAsync(run, node, step.Attempts + 1, "step.retry", $"{Label(node)}: you chose to retry the failed run from here",
                    cancellationToken: cancellationToken);
                await UpdateStepAsync(step.Id, s => s.Retry(), cancellationToken);
                return await ExecuteAsync(run, node, step.Id, step.Attempts + 1, answer: null, policyReason: null, cancellationToken);
            default:
                // The process died during this step: run it again. Effects carry idempotency keys, so a repeated
                // HTTP call is recognised; the trace says it happened.
                await TraceAsync(run, node, step.Attempts + 1, "step.recovered",
                    $"{Label(node)} was interrupted (the process stopped); running it again", level: TraceLevel.Warning,
                    cancellationToken: cancellationToken);
                await UpdateStepAsync(step.Id, s => s.Retry(), cancellationToken);
                return await ExecuteAsync(run, node, step.Id, step.Attempts + 1, answer: null, policyReason: null, cancellationToken);
        }
    }

    private async Task<HostOutcome> RetryAfterEscalationAsync(RunContext run, PlaybookNode node, StepRun step, CancellationToken cancellationToken)
    {
        await UpdateStepAsync(step.Id, s => s.Retry(), cancellationToken);
        await TraceAsync(run, node, step.Attempts + 1, "step.retry", $"{Label(node)}: you chose to retry", cancellationToken: cancellationToken);
        return await ExecuteAsync(run, node, step.Id, step.Attempts + 1, answer: null, policyReason: null, cancellationToken);
    }

    private async Task<HostOutcome> ExecuteAsync(RunContext run, PlaybookNode node, Guid activation, int attempt, WaitAnswer? answer,
        string? policyReason, CancellationToken cancellationToken)
    {
        var activity = catalog.Get(node.Kind);
        var scope = await scopes.LoadAsync(run, cancellationToken);
        var retry = node.Retry ?? RetryPolicy.None;
        var current = attempt;
        var pipeline = BuildPipeline(run, node, activation, retry, () => current++);
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
                };
                return await activity.ExecuteAsync(context, token);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = new ActivityResult.Failed(ex is TimeoutRejectedException
                ? $"Timed out after {node.TimeoutMs} ms."
                : ex.GetBaseException().Message);
        }

        return result switch
        {
            ActivityResult.Completed completed => await CompleteAsync(run, node, activation, current, completed, skipped: false, cancellationToken),
            ActivityResult.Ended ended => await EndAsync(run, node, activation, ended, cancellationToken),
            ActivityResult.Waiting waiting => await OpenWaitAsync(run, node, activation, waiting.Request, cancellationToken),
            ActivityResult.Failed failed => await FailAsync(run, node, activation, failed.Error, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown activity result {result.GetType().Name}."),
        };
    }

    private ResiliencePipeline<ActivityResult> BuildPipeline(RunContext run, PlaybookNode node, Guid activation, RetryPolicy retry,
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
                    var reason = args.Outcome.Result is ActivityResult.Failed failed ? failed.Error : args.Outcome.Exception?.GetBaseException().Message;
                    await UpdateStepAsync(activation, s => s.Retry(), CancellationToken.None);
                    await TraceAsync(run, node, failedAttempt, "step.retry",
                        $"Attempt {failedAttempt} failed ({reason}); retrying in {args.RetryDelay.TotalMilliseconds:0} ms",
                        new JsonObject { ["error"] = reason, ["delayMs"] = args.RetryDelay.TotalMilliseconds }, TraceLevel.Warning);
                },
            });
        }

        if (node.TimeoutMs is > 0)
        {
            builder.AddTimeout(TimeSpan.FromMilliseconds(node.TimeoutMs.Value));
        }

        return builder.Build();
    }

    private async Task<HostOutcome> CompleteAsync(RunContext run, PlaybookNode node, Guid activation, int attempt,
        ActivityResult.Completed completed, bool skipped, CancellationToken cancellationToken)
    {
        var output = completed.Output?.ToJsonString();
        await UpdateStepAsync(activation, s =>
        {
            if (skipped)
            {
                s.Skip(output, Now);
            }
            else
            {
                s.Complete(completed.Port, output, Now);
            }
        }, cancellationToken);
        await TraceAsync(run, node, attempt, skipped ? "step.skipped" : "step.completed",
            skipped ? $"{Label(node)} skipped with the output you gave" : $"{Label(node)} completed → {completed.Port}",
            new JsonObject { ["port"] = completed.Port, ["output"] = completed.Output?.DeepClone() }, cancellationToken: cancellationToken);
        return new HostOutcome.Emit(completed.Port, activation);
    }

    private async Task<HostOutcome> EndAsync(RunContext run, PlaybookNode node, Guid activation, ActivityResult.Ended ended,
        CancellationToken cancellationToken)
    {
        var kpis = new JsonObject();
        foreach (var (name, value) in ended.Kpis)
        {
            kpis[name] = value;
        }

        var output = new JsonObject { ["outcome"] = ended.Outcome, ["kpi"] = kpis };
        // The trace is written before the status changes, so whoever sees the run Completed also sees its whole trace.
        await TraceAsync(run, node, 1, "run.completed", $"Run completed{(ended.Outcome is null ? "" : $": {ended.Outcome}")}", output,
            cancellationToken: cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Step and run in one transaction: a crash between them would leave an ended step on a run that never ends.
            var step = await db.StepRuns.SingleAsync(s => s.Id == activation, cancellationToken);
            step.Complete(EndPort, output.ToJsonString(), Now);
            var row = await db.Runs.SingleAsync(r => r.Id == run.RunId, cancellationToken);
            if (!row.IsFinal)
            {
                row.Complete(ended.Outcome, Now);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return new HostOutcome.EndRun();
    }

    private async Task<HostOutcome> OpenWaitAsync(RunContext run, PlaybookNode node, Guid activation, WaitRequest request,
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
            request.Context?.ToJsonString(), request.PolicyReason, request.DueAt, activation, request.OnTimeout);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Approvals.Add(wait);
            var step = await db.StepRuns.SingleAsync(s => s.Id == activation, cancellationToken);
            step.Wait();
            await db.SaveChangesAsync(cancellationToken);
        }

        await runs.RefreshStatusAsync(run.RunId, cancellationToken);
        var (traceKind, message) = kind switch
        {
            ApprovalKind.Timer => ("timer.set", $"{Label(node)} waits until {request.DueAt:u}"),
            ApprovalKind.ChildRun => ("subplaybook.waiting", $"{Label(node)} waits for its sub-playbook run"),
            ApprovalKind.OperatorTask => ("approval.requested", $"{Label(node)} needs you: {request.Question}"),
            ApprovalKind.Escalation => ("escalation.opened", request.Question),
            _ => ("approval.requested", $"{Label(node)} asks: {request.Question}"),
        };
        await TraceAsync(run, node, 1, traceKind, message,
            new JsonObject { ["waitId"] = wait.Id.ToString(), ["dueAt"] = request.DueAt?.ToString("O"), ["reason"] = request.PolicyReason },
            cancellationToken: cancellationToken);
        return new HostOutcome.Wait(wait.Id);
    }

    /// <summary>Retries are spent: take the error edge if there is one, else escalate to the operator.</summary>
    private async Task<HostOutcome> FailAsync(RunContext run, PlaybookNode node, Guid activation, string error, CancellationToken cancellationToken)
    {
        await TraceAsync(run, node, 1, "step.failed", $"{Label(node)} failed: {error}", new JsonObject { ["error"] = error },
            TraceLevel.Error, cancellationToken);
        if (run.Definition.EdgesFrom(node.Id).Any(e => e.Port == PlaybookEdge.ErrorPort))
        {
            await UpdateStepAsync(activation, s => s.Fail(error, Now, PlaybookEdge.ErrorPort), cancellationToken);
            return new HostOutcome.Emit(PlaybookEdge.ErrorPort, activation);
        }

        return await OpenWaitAsync(run, node, activation, new WaitRequest(WaitKind.Approval,
            $"{Label(node)} failed: {error}. Retry it, skip it with an output, or fail the run?",
            new JsonObject { ["error"] = error, ["step"] = node.Id, ["kind"] = node.Kind }), cancellationToken, ApprovalKind.Escalation);
    }

    private async Task<HostOutcome> FailRunAsync(RunContext run, PlaybookNode node, Guid activation, string reason,
        CancellationToken cancellationToken)
    {
        await UpdateStepAsync(activation, s => s.Fail(reason, Now), cancellationToken);
        await runs.FailAsync(run.RunId, reason, cancellationToken);
        await TraceAsync(run, node, 1, "run.failed", reason, level: TraceLevel.Error, cancellationToken: cancellationToken);
        return new HostOutcome.EndRun();
    }

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

    private async Task UpdateStepAsync(Guid activation, Action<StepRun> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var step = await db.StepRuns.SingleAsync(s => s.Id == activation, cancellationToken);
        change(step);
        await db.SaveChangesAsync(cancellationToken);
    }

    private ValueTask<TraceMessage> TraceAsync(RunContext run, PlaybookNode node, int attempt, string kind, string message,
        JsonNode? data = null, TraceLevel level = TraceLevel.Info, CancellationToken cancellationToken = default) =>
        trace.WriteAsync(run.RunId, kind, message, node.Id, attempt, data, level, cancellationToken);

    private Task RecordUsageAsync(Guid runId, Guid activation, long tokensIn, long tokensOut, long costMicros,
        CancellationToken cancellationToken) => runs.RecordUsageAsync(runId, activation, tokensIn, tokensOut, costMicros, cancellationToken);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    internal static string Label(PlaybookNode node) => string.IsNullOrWhiteSpace(node.Label) ? node.Id : $"{node.Label} ({node.Id})";

    /// <summary>The port an end node's step records: nothing leaves an end node.</summary>
    internal const string EndPort = "end";

    private sealed class StepTrace(ActivityHost host, RunContext run, PlaybookNode node, int attempt, Guid activation) : IStepTrace, IStepUsage
    {
        public async ValueTask WriteAsync(string kind, string message, JsonNode? data = null, TraceLevel level = TraceLevel.Info,
            CancellationToken cancellationToken = default) =>
            await host.TraceAsync(run, node, attempt, kind, message, data, level, cancellationToken);

        public async ValueTask RecordAsync(long tokensIn, long tokensOut, long costMicros, CancellationToken cancellationToken = default) =>
            await host.RecordUsageAsync(run.RunId, activation, tokensIn, tokensOut, costMicros, cancellationToken);
    }
}
