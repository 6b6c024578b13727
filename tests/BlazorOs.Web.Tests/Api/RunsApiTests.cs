using System.Net;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary>
/// Starting runs and following them over HTTP: the engine runs in the app, so a started run moves on by itself and the
/// tests poll, as a script would.
/// </summary>
public sealed class RunsApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task Starting_a_run_answers_202_with_its_id_and_the_run_completes_with_its_steps()
    {
        using var api = app.CreateApiScript();
        var playbook = await api.ImportAsync(ApiPlaybooks.Straight());

        using var response = await api.PostAsync($"/api/playbooks/{playbook}/runs", """{ "inputs": {} }""");

        var runId = (await ApiScript.ReadAsync(response, HttpStatusCode.Accepted)).GetProperty("runId").GetGuid();
        Assert.Equal($"/api/runs/{runId}", response.Headers.Location?.OriginalString);
        var detail = await api.WaitForRunAsync(runId, "Completed", "Failed");
        var run = detail.GetProperty("run");
        Assert.Equal(("Completed", "ok", playbook, "Api"), (run.GetProperty("status").GetString(), run.GetProperty("outcome").GetString(),
            run.GetProperty("playbookId").GetGuid(), run.GetProperty("trigger").GetString()));
        var steps = detail.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["start", "done"], steps.Select(s => s.GetProperty("nodeId").GetString()));
        Assert.All(steps, s => Assert.Equal(("Completed", 1), (s.GetProperty("status").GetString(), s.GetProperty("attempts").GetInt32())));
    }

    [Fact]
    public async Task Inputs_that_do_not_fit_are_a_400_listing_every_problem_and_no_run_starts()
    {
        using var api = app.CreateApiScript();
        var playbook = await api.ImportAsync(ApiPlaybooks.With(
            """{ "id": "done", "kind": "end" }""", """{ "from": "start", "to": "done" }""",
            inputs: """[{ "name": "email", "type": "string", "required": true }, { "name": "count", "type": "number" }]"""));

        using var response = await api.PostAsync($"/api/playbooks/{playbook}/runs", """{ "inputs": { "count": "three", "extra": 1 } }""");

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "cannot start");
        var fields = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("field").GetString()).ToList();
        Assert.True(fields.Count >= 2, problem.ToString());
        Assert.Contains(fields, f => f!.Contains("email", StringComparison.Ordinal));
        Assert.Contains(fields, f => f!.Contains("count", StringComparison.Ordinal));
        var runs = await api.GetJsonAsync("/api/runs");
        Assert.DoesNotContain(runs.EnumerateArray(), r => r.GetProperty("playbookId").GetGuid() == playbook);
    }

    [Fact]
    public async Task Starting_a_run_of_an_unknown_playbook_is_a_404_problem()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync($"/api/playbooks/{Guid.NewGuid()}/runs", """{ "inputs": {} }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_runs_list_filters_by_status_in_any_case()
    {
        using var api = app.CreateApiScript();
        var done = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Straight("Filter done")));
        var waiting = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Review("Filter waiting")), """{ "topic": "q3" }""");
        await api.WaitForRunAsync(done, "Completed");
        await api.WaitForRunAsync(waiting, "Suspended");

        var completed = await api.GetJsonAsync("/api/runs?status=completed");
        var suspended = await api.GetJsonAsync("/api/runs?status=Suspended");

        Assert.All(completed.EnumerateArray(), r => Assert.Equal("Completed", r.GetProperty("status").GetString()));
        Assert.All(suspended.EnumerateArray(), r => Assert.Equal("Suspended", r.GetProperty("status").GetString()));
        Assert.Contains(completed.EnumerateArray(), r => r.GetProperty("runId").GetGuid() == done);
        Assert.Contains(suspended.EnumerateArray(), r => r.GetProperty("runId").GetGuid() == waiting);
        Assert.DoesNotContain(completed.EnumerateArray(), r => r.GetProperty("runId").GetGuid() == waiting);
    }

    [Fact]
    public async Task The_trace_lists_the_run_events_in_order_and_after_skips_those_seen()
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Straight("Traced")));
        await api.WaitForRunAsync(runId, "Completed");

        var trace = (await api.GetJsonAsync($"/api/runs/{runId}/trace")).EnumerateArray().ToList();

        var sequences = trace.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal("run.started", trace[0].GetProperty("kind").GetString());
        Assert.Equal("run.completed", trace[^1].GetProperty("kind").GetString());
        var rest = await api.GetJsonAsync($"/api/runs/{runId}/trace?after={sequences[1]}");
        Assert.Equal(sequences.Skip(2), rest.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task Cancelling_a_waiting_run_answers_202_and_the_run_ends_cancelled()
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Review("Cancelled")), """{ "topic": "q3" }""");
        var question = await api.WaitForOpenApprovalAsync(runId);

        using var response = await api.PostAsync($"/api/runs/{runId}/cancel", "{}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Cancelled", (await api.WaitForRunAsync(runId, "Cancelled")).GetProperty("run").GetProperty("status").GetString());
        var open = await api.GetJsonAsync("/api/approvals?status=open");
        Assert.DoesNotContain(open.EnumerateArray(), a => a.GetProperty("id").GetGuid() == question.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Cancelling_a_finished_run_is_a_409_problem()
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Straight("Finished")));
        await api.WaitForRunAsync(runId, "Completed");

        using var response = await api.PostAsync($"/api/runs/{runId}/cancel", "{}");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("Completed", (await api.GetJsonAsync($"/api/runs/{runId}")).GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_rerun_starts_a_new_run_with_the_same_inputs_and_a_completed_run_cannot_be_retried()
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Straight("Again")));
        await api.WaitForRunAsync(runId, "Completed");

        using var retry = await api.PostAsync($"/api/runs/{runId}/retry", "{}");
        using var rerun = await api.PostAsync($"/api/runs/{runId}/rerun", "{}");

        await ApiAssert.ProblemAsync(retry, HttpStatusCode.Conflict, "Only a failed run can be retried");
        var again = (await ApiScript.ReadAsync(rerun, HttpStatusCode.Accepted)).GetProperty("runId").GetGuid();
        Assert.NotEqual(runId, again);
        var run = (await api.WaitForRunAsync(again, "Completed")).GetProperty("run");
        Assert.Equal("Completed", run.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/runs/{id}")]
    [InlineData("GET", "/api/runs/{id}/trace")]
    [InlineData("POST", "/api/runs/{id}/cancel")]
    [InlineData("POST", "/api/runs/{id}/retry")]
    [InlineData("POST", "/api/runs/{id}/rerun")]
    public async Task An_unknown_run_is_a_404_problem(string method, string path)
    {
        using var api = app.CreateApiScript();

        using var response = await api.SendAsync(method, ContractEndpoints.Concrete(path));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
