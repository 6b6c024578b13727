using System.Text.Json.Nodes;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Tests.Activities;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// What happens when a step fails, on a real SQLite file against a real HTTP server on 127.0.0.1. Invariant: a failed
/// attempt is retried (same idempotency key) while the node's retry policy allows; then the run takes the node's
/// <c>error</c> edge if it has one, else waits Suspended on an escalation the operator answers with retry, skip (with
/// an output) or fail. Nothing fails silently, and steps that finished before are never run again.
/// </summary>
public sealed class StepFailureTests : IAsyncLifetime
{
    private readonly LoopbackServer _server = LoopbackServer.Start();
    private EngineHost _host = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await EngineHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_http_step_is_retried_with_the_same_idempotency_key_until_it_succeeds()
    {
        var calls = 0;
        _server.Respond = _ => Interlocked.Increment(ref calls) <= 2
            ? new CannedResponse(500, """{"error":"busy"}""")
            : new CannedResponse(201, """{"id":"msg-1"}""");
        var id = await _host.ImportAsync(Playbooks.With(
            $$"""
            {{Http("send", "mail", "POST", """ "retry": { "maxAttempts": 3, "initialDelayMs": 10 } """)}},
            { "id": "done", "kind": "end", "settings": { "outcome": "sent" } }
            """, """{ "from": "start", "to": "send" }, { "from": "send", "to": "done" }"""));

        var runId = await _host.StartRunAsync(id);
        var run = await _host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed, RunStatus.Suspended);

        Assert.Equal((RunStatus.Completed, "sent"), (run.Status, run.Outcome));
        var send = (await _host.StepsAsync(runId)).Single(s => s.NodeId == "send");
        Assert.Equal((StepStatus.Completed, 3), (send.Status, send.Attempts));
        Assert.Equal("msg-1", JsonNode.Parse(send.OutputJson!)!["body"]!["id"]!.GetValue<string>());
        var retries = (await _host.TraceAsync(runId)).Where(e => e.Kind == "step.retry").ToList();
        Assert.Equal([1, 2], retries.Select(e => e.Attempt));
        Assert.All(retries, e => Assert.Contains("answered 500", e.Message, StringComparison.Ordinal));
        var keys = _server.Requests.Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(3, keys.Count);
        Assert.NotNull(Assert.Single(keys.Distinct()));
    }

    [Fact]
    public async Task A_step_that_fails_without_an_error_edge_waits_for_the_operator_and_retry_does_not_repeat_earlier_steps()
    {
        var mailUp = false;
        var id = await ImportFetchThenSendAsync(() => Volatile.Read(ref mailUp), mailDown: 503);

        var runId = await _host.StartRunAsync(id);
        var escalation = await _host.OpenApprovalAsync(runId, ApprovalKind.Escalation);
        await _host.WaitForAsync(runId, RunStatus.Suspended);
        Assert.Equal("send", escalation.NodeId);
        Assert.Contains("answered 503", escalation.Question, StringComparison.Ordinal);

        // The server is fixed while the run waits, and the app restarts before the operator answers.
        Volatile.Write(ref mailUp, true);
        await _host.RestartAsync();
        await _host.Engine.AnswerAsync(escalation.Id, ApprovalDecision.Retry, null, "operator", Cancel);
        var run = await _host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "sent"), (run.Status, run.Outcome));
        Assert.Single(_server.Requests, r => r.Path == "/lead");
        var mails = _server.Requests.Where(r => r.Path == "/mail").Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, mails.Count);
        Assert.Single(mails.Distinct());
        var steps = await _host.StepsAsync(runId);
        Assert.Equal(1, steps.Single(s => s.NodeId == "fetch").Attempts);
        Assert.Equal((StepStatus.Completed, 2), steps.Where(s => s.NodeId == "send").Select(s => (s.Status, s.Attempts)).Single());
        Assert.Contains("run.recovered", await _host.TraceKindsAsync(runId));
    }

    [Fact]
    public async Task An_escalation_answered_skip_continues_with_the_output_the_operator_gave()
    {
        var (runId, escalation) = await StartRunWhoseSendEscalatesAsync();

        await _host.Engine.AnswerAsync(escalation.Id, ApprovalDecision.Skip, new JsonObject { ["id"] = "manual-7" }, "operator", Cancel);
        var run = await _host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "used the given output"), (run.Status, run.Outcome));
        var send = (await _host.StepsAsync(runId)).Single(s => s.NodeId == "send");
        Assert.Equal(StepStatus.Skipped, send.Status);
        Assert.Single(_server.Requests);
        Assert.Contains("step.skipped", await _host.TraceKindsAsync(runId));
    }

    [Fact]
    public async Task An_escalation_answered_fail_fails_the_run_with_the_reason()
    {
        var (runId, escalation) = await StartRunWhoseSendEscalatesAsync();

        await _host.Engine.AnswerAsync(escalation.Id, ApprovalDecision.Fail, null, "operator", Cancel);
        var run = await _host.WaitForAsync(runId, RunStatus.Failed, RunStatus.Completed);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("send", run.Error, StringComparison.Ordinal);
        Assert.Contains("you chose to fail the run", run.Error, StringComparison.Ordinal);
        var steps = await _host.StepsAsync(runId);
        Assert.Equal(StepStatus.Failed, steps.Single(s => s.NodeId == "send").Status);
        Assert.DoesNotContain(steps, s => s.NodeId == "check");
        Assert.Equal("run.failed", (await _host.TraceKindsAsync(runId))[^1]);
    }

    [Fact]
    public async Task A_failing_step_with_an_error_edge_routes_there_once_its_retries_are_spent()
    {
        _server.Respond = _ => new CannedResponse(500);
        var id = await _host.ImportAsync(Playbooks.With(
            $$"""
            {{Http("send", "mail", "POST", """ "retry": { "maxAttempts": 2, "initialDelayMs": 10 } """)}},
            { "id": "done", "kind": "end", "settings": { "outcome": "sent" } },
            { "id": "fallback", "kind": "end", "settings": { "outcome": "fell back" } }
            """,
            """
            { "from": "start", "to": "send" },
            { "from": "send", "to": "done" },
            { "from": "send", "port": "error", "to": "fallback" }
            """));

        var runId = await _host.StartRunAsync(id);
        var run = await _host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed, RunStatus.Suspended);

        Assert.Equal((RunStatus.Completed, "fell back"), (run.Status, run.Outcome));
        var send = (await _host.StepsAsync(runId)).Single(s => s.NodeId == "send");
        Assert.Equal((StepStatus.Failed, "error", 2), (send.Status, send.Port, send.Attempts));
        Assert.Contains("answered 500", send.Error, StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests.Count);
        await using var db = await _host.DbAsync();
        Assert.False(await db.Approvals.AnyAsync(a => a.RunId == runId, Cancel));
    }

    [Fact]
    public async Task An_attempt_that_outlasts_timeoutMs_fails_as_timed_out_and_the_next_attempt_runs()
    {
        var calls = 0;
        // The first call never gets an answer; the second is answered at once.
        _server.Respond = _ => Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(200, After: new TaskCompletionSource().Task)
            : new CannedResponse(200, """{"ok":true}""");
        var id = await _host.ImportAsync(Playbooks.With(
            $$"""
            {{Http("slow", "report", policy: """ "timeoutMs": 300, "retry": { "maxAttempts": 2, "initialDelayMs": 10 } """)}},
            { "id": "done", "kind": "end", "settings": { "outcome": "fetched" } }
            """, """{ "from": "start", "to": "slow" }, { "from": "slow", "to": "done" }"""));

        var runId = await _host.StartRunAsync(id);
        var run = await _host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed, RunStatus.Suspended);

        Assert.Equal((RunStatus.Completed, "fetched"), (run.Status, run.Outcome));
        Assert.Equal(2, (await _host.StepsAsync(runId)).Single(s => s.NodeId == "slow").Attempts);
        var retry = Assert.Single(await _host.TraceAsync(runId), e => e.Kind == "step.retry");
        Assert.Contains("Timed out after 300 ms", retry.Message, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(_server.Requests.Select(r => r.IdempotencyKey).Distinct()));
    }

    [Fact]
    public async Task A_step_whose_last_attempt_times_out_escalates_with_the_timeout_as_the_reason()
    {
        _server.Respond = _ => new CannedResponse(200, After: new TaskCompletionSource().Task);
        var id = await _host.ImportAsync(Playbooks.With(
            $$"""
            {{Http("slow", "report", policy: """ "timeoutMs": 300 """)}},
            { "id": "done", "kind": "end" }
            """, """{ "from": "start", "to": "slow" }, { "from": "slow", "to": "done" }"""));

        var runId = await _host.StartRunAsync(id);
        var escalation = await _host.OpenApprovalAsync(runId, ApprovalKind.Escalation);

        Assert.Contains("Timed out after 300 ms", escalation.Question, StringComparison.Ordinal);
        var slow = (await _host.StepsAsync(runId)).Single(s => s.NodeId == "slow");
        Assert.Equal(StepStatus.Waiting, slow.Status);
    }

    [Fact]
    public async Task A_failed_run_retried_from_its_failed_step_completes_without_running_earlier_steps_again()
    {
        var mailUp = false;
        var id = await ImportFetchThenSendAsync(() => Volatile.Read(ref mailUp), mailDown: 400);
        var runId = await _host.StartRunAsync(id);
        var escalation = await _host.OpenApprovalAsync(runId, ApprovalKind.Escalation);
        await _host.Engine.AnswerAsync(escalation.Id, ApprovalDecision.Fail, null, "operator", Cancel);
        await _host.WaitForAsync(runId, RunStatus.Failed);

        Volatile.Write(ref mailUp, true);
        await _host.Engine.RetryAsync(runId, "operator", Cancel);
        var run = await _host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed, RunStatus.Suspended);

        Assert.Equal((RunStatus.Completed, "sent", null), (run.Status, run.Outcome, run.Error));
        Assert.Single(_server.Requests, r => r.Path == "/lead");
        Assert.Equal(2, (await _host.StepsAsync(runId)).Single(s => s.NodeId == "send").Attempts);
        Assert.Contains("run.retried", await _host.TraceKindsAsync(runId));
        var refused = await Assert.ThrowsAsync<AnswerRejectedException>(() => _host.Engine.RetryAsync(runId, "operator", Cancel));
        Assert.True(refused.IsConflict);
    }

    [Fact]
    public async Task A_rerun_starts_a_new_run_with_the_same_inputs()
    {
        var id = await _host.ImportAsync(Playbooks.With(
            """{ "id": "done", "kind": "end", "settings": { "outcome": "ok" } }""", """{ "from": "start", "to": "done" }""",
            inputs: """[{ "name": "topic", "type": "string", "required": true }]"""));
        var first = await _host.StartRunAsync(id, new JsonObject { ["topic"] = "quarterly report" });
        await _host.WaitForAsync(first, RunStatus.Completed);

        var second = await _host.Engine.RerunAsync(first, Cancel);
        await _host.WaitForAsync(second, RunStatus.Completed);

        await using var db = await _host.DbAsync();
        var inputs = await db.Runs.Where(r => r.Id == first || r.Id == second).Select(r => r.InputsJson).ToListAsync(Cancel);
        Assert.NotEqual(first, second);
        Assert.Equal(2, inputs.Count);
        Assert.Equal(inputs[0], inputs[1]);
    }

    /// <summary>start → fetch (GET /lead, answers) → send (POST /mail: <paramref name="mailDown"/> until mail is up) → done.</summary>
    private async Task<Guid> ImportFetchThenSendAsync(Func<bool> mailIsUp, int mailDown)
    {
        _server.Respond = r => r.Path == "/lead" ? new CannedResponse(200, """{"name":"Ada"}""")
            : mailIsUp() ? new CannedResponse(201, """{"id":"msg-1"}""") : new CannedResponse(mailDown);
        return await _host.ImportAsync(Playbooks.With(
            $$"""
            {{Http("fetch", "lead")}},
            {{Http("send", "mail", "POST")}},
            { "id": "done", "kind": "end", "settings": { "outcome": "sent" } }
            """,
            """{ "from": "start", "to": "fetch" }, { "from": "fetch", "to": "send" }, { "from": "send", "to": "done" }"""));
    }

    /// <summary>An http node against the test server.</summary>
    /// <param name="policy">The node's failure policy fields (<c>"retry": { … }</c>, <c>"timeoutMs": …</c>), if any.</param>
    private string Http(string id, string path, string method = "GET", string policy = "") =>
        $$"""{ "id": "{{id}}", "kind": "http", "settings": { "url": "{{_server.BaseAddress}}{{path}}", "method": "{{method}}" }{{(policy.Length == 0 ? "" : "," + policy)}} }""";

    /// <summary>
    /// Starts start → send (POST, refused with 400) → check (did send's output carry <c>id: manual-7</c>?) and waits
    /// for the escalation of send.
    /// </summary>
    private async Task<(Guid RunId, Approval Escalation)> StartRunWhoseSendEscalatesAsync()
    {
        _server.Respond = _ => new CannedResponse(400, """{"error":"bad address"}""");
        var id = await _host.ImportAsync(Playbooks.With(
            $$"""
            {{Http("send", "mail", "POST")}},
            { "id": "check", "kind": "condition", "settings": { "expression": "steps.send.output.id === 'manual-7'" } },
            { "id": "done", "kind": "end", "settings": { "outcome": "used the given output" } },
            { "id": "odd", "kind": "end", "settings": { "outcome": "did not see the given output" } }
            """,
            """
            { "from": "start", "to": "send" },
            { "from": "send", "to": "check" },
            { "from": "check", "port": "true", "to": "done" },
            { "from": "check", "port": "false", "to": "odd" }
            """));
        var runId = await _host.StartRunAsync(id);
        return (runId, await _host.OpenApprovalAsync(runId, ApprovalKind.Escalation));
    }
}
