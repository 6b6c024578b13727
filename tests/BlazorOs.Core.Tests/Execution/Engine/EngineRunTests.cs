using System.Text.Json.Nodes;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// Runs end to end on a real SQLite file. Invariant: every run ends Completed, Failed (with a reason) or Cancelled,
/// or waits Suspended with an open question; a step the store has finished is never run again.
/// </summary>
public sealed class EngineRunTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_linear_playbook_completes_with_its_outcome_and_an_ordered_trace()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """{ "id": "done", "kind": "end", "settings": { "outcome": "ok" } }""",
            """{ "from": "start", "to": "done" }"""));

        var runId = await host.StartRunAsync(id);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "ok"), (run.Status, run.Outcome));
        var kinds = await host.TraceKindsAsync(runId);
        Assert.Equal("run.started", kinds[0]);
        Assert.Equal("run.completed", kinds[^1]);
        Assert.Equal(["start", "done"], (await host.StepsAsync(runId)).Select(s => s.NodeId));
        // The run's row turns Completed inside its last step; its checkpoints are dropped right after, when it settles.
        Assert.True(await host.Engine.WaitForIdleAsync(runId, TimeSpan.FromSeconds(30)));
        await using var db = await host.DbAsync();
        Assert.False(await db.WorkflowCheckpoints.AnyAsync(c => c.SessionId == runId.ToString("N"), Cancel));
    }

    [Fact]
    public async Task An_approval_survives_a_restart_and_the_answer_decides_the_branch()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """
            { "id": "review", "kind": "approval", "settings": { "question": "Go on?", "show": "{{ inputs.topic }}" } },
            { "id": "yes", "kind": "end", "settings": { "outcome": "approved" } },
            { "id": "no", "kind": "end", "settings": { "outcome": "rejected" } }
            """,
            """
            { "from": "start", "to": "review" },
            { "from": "review", "port": "approved", "to": "yes" },
            { "from": "review", "port": "rejected", "to": "no" }
            """, inputs: """[{ "name": "topic", "type": "string", "required": true }]"""));
        var runId = await host.StartRunAsync(id, new JsonObject { ["topic"] = "the {{ quarterly }} report" });
        var approval = await host.OpenApprovalAsync(runId);
        await host.WaitForAsync(runId, RunStatus.Suspended);
        Assert.Contains("the {{ quarterly }} report", approval.ContextJson, StringComparison.Ordinal);

        await host.RestartAsync();
        await host.Engine.AnswerAsync(approval.Id, ApprovalDecision.Reject, null, "operator", Cancel);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal("rejected", run.Outcome);
        Assert.Contains("run.recovered", await host.TraceKindsAsync(runId));
        await Assert.ThrowsAsync<AnswerRejectedException>(() => host.Engine.AnswerAsync(approval.Id, ApprovalDecision.Approve, null, "operator", Cancel));
    }

    [Fact]
    public async Task Parallel_branches_meet_at_the_join_which_runs_once()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """
            { "id": "split", "kind": "parallel" },
            { "id": "left", "kind": "delay", "settings": { "seconds": 0.2 } },
            { "id": "right", "kind": "delay", "settings": { "seconds": 0.1 } },
            { "id": "meet", "kind": "join" },
            { "id": "done", "kind": "end", "settings": { "outcome": "joined" } }
            """,
            """
            { "from": "start", "to": "split" },
            { "from": "split", "to": "left" },
            { "from": "split", "to": "right" },
            { "from": "left", "to": "meet" },
            { "from": "right", "to": "meet" },
            { "from": "meet", "to": "done" }
            """));

        var runId = await host.StartRunAsync(id);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal("joined", run.Outcome);
        var steps = await host.StepsAsync(runId);
        Assert.Single(steps, s => s.NodeId == "meet");
        Assert.Single(steps, s => s.NodeId == "done");
    }

    [Fact]
    public async Task A_condition_routes_by_the_value_it_sees()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """
            { "id": "big", "kind": "condition", "settings": { "expression": "inputs.amount > 1000" } },
            { "id": "large", "kind": "end", "settings": { "outcome": "large" } },
            { "id": "small", "kind": "end", "settings": { "outcome": "small" } }
            """,
            """
            { "from": "start", "to": "big" },
            { "from": "big", "port": "true", "to": "large" },
            { "from": "big", "port": "false", "to": "small" }
            """, inputs: """[{ "name": "amount", "type": "number", "required": true }]"""));

        var large = await host.StartRunAsync(id, new JsonObject { ["amount"] = 5000 });
        var small = await host.StartRunAsync(id, new JsonObject { ["amount"] = 10 });

        Assert.Equal("large", (await host.WaitForAsync(large, RunStatus.Completed)).Outcome);
        Assert.Equal("small", (await host.WaitForAsync(small, RunStatus.Completed)).Outcome);
    }

    [Fact]
    public async Task A_run_that_goes_idle_without_an_end_node_fails_with_the_reason()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """
            { "id": "check", "kind": "condition", "settings": { "expression": "false" } },
            { "id": "done", "kind": "end" }
            """,
            """
            { "from": "start", "to": "check" },
            { "from": "check", "port": "true", "to": "done" }
            """));

        var run = await host.WaitForAsync(await host.StartRunAsync(id), RunStatus.Failed, RunStatus.Completed);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("without reaching an end node", run.Error, StringComparison.Ordinal);
        Assert.Contains("check → false", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_that_do_not_fit_are_refused_with_every_problem_and_no_run()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """{ "id": "done", "kind": "end" }""", """{ "from": "start", "to": "done" }""",
            inputs: """[{ "name": "email", "type": "string", "required": true }, { "name": "count", "type": "number", "required": false }]"""));

        var error = await Assert.ThrowsAsync<RunStartException>(() => host.StartRunAsync(id, new JsonObject { ["count"] = "three", ["extra"] = 1 }));

        Assert.Equal(["inputs.email", "inputs.count", "inputs.extra"], error.Problems.Select(p => p.Field));
        await using var db = await host.DbAsync();
        Assert.False(await db.Runs.AnyAsync(Cancel));
    }

    [Fact]
    public async Task A_cancelled_run_stops_waiting_and_its_question_is_withdrawn()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """
            { "id": "review", "kind": "approval", "settings": { "question": "Go on?" } },
            { "id": "done", "kind": "end" }
            """,
            """
            { "from": "start", "to": "review" },
            { "from": "review", "port": "approved", "to": "done" },
            { "from": "review", "port": "rejected", "to": "done" }
            """));
        var runId = await host.StartRunAsync(id);
        var approval = await host.OpenApprovalAsync(runId);

        await host.Engine.CancelAsync(runId, "operator", Cancel);

        Assert.Equal(RunStatus.Cancelled, (await host.WaitForAsync(runId, RunStatus.Cancelled)).Status);
        await using var db = await host.DbAsync();
        Assert.Equal(ApprovalStatus.Cancelled, (await db.Approvals.SingleAsync(a => a.Id == approval.Id, Cancel)).Status);
        Assert.True(await host.Engine.WaitForIdleAsync(runId, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_sub_playbook_runs_as_a_child_and_its_outcome_returns_to_the_parent()
    {
        await using var host = await EngineHost.StartAsync();
        var child = await host.ImportAsync(Playbooks.With(
            """
            { "id": "check", "kind": "condition", "settings": { "expression": "inputs.greeting === 'hello'" } },
            { "id": "greeted", "kind": "end", "settings": { "outcome": "greeted" } },
            { "id": "ignored", "kind": "end", "settings": { "outcome": "ignored" } }
            """,
            """
            { "from": "start", "to": "check" },
            { "from": "check", "port": "true", "to": "greeted" },
            { "from": "check", "port": "false", "to": "ignored" }
            """,
            inputs: """[{ "name": "greeting", "type": "string", "required": true }]""", name: "Child"));
        var parent = await host.ImportAsync(Playbooks.With(
            $$"""
            { "id": "call", "kind": "playbook", "settings": { "playbookId": "{{child}}", "inputs": { "greeting": "hello" } } },
            { "id": "check", "kind": "condition", "settings": { "expression": "steps.call.output.outcome === 'greeted'" } },
            { "id": "done", "kind": "end", "settings": { "outcome": "child greeted" } },
            { "id": "odd", "kind": "end", "settings": { "outcome": "child did not greet" } }
            """,
            """
            { "from": "start", "to": "call" },
            { "from": "call", "to": "check" },
            { "from": "check", "port": "true", "to": "done" },
            { "from": "check", "port": "false", "to": "odd" }
            """, name: "Parent"));

        var runId = await host.StartRunAsync(parent);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "child greeted"), (run.Status, run.Outcome));
        await using var db = await host.DbAsync();
        var childRun = await db.Runs.AsNoTracking().SingleAsync(r => r.ParentRunId == runId, Cancel);
        Assert.Equal((RunStatus.Completed, RunTrigger.Playbook, "greeted"), (childRun.Status, childRun.Trigger, childRun.Outcome));
    }
}
