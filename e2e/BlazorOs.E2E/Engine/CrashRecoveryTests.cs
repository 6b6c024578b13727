using System.Text.Json.Nodes;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Engine;

/// <summary>
/// The real app, killed (no graceful stop) in the middle of a run and started again on the same data folder; the run
/// is driven only through the HTTP API. Invariant: the run resumes from the database and ends, and an external effect
/// happens once: a call that may have reached the server is sent again with the same Idempotency-Key, a call that
/// finished is not sent again, and a timer keeps its due time.
/// </summary>
public sealed class CrashRecoveryTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task A_run_killed_while_its_http_call_is_in_flight_completes_after_a_restart_and_the_effect_happens_once()
    {
        await using var invoices = new IdempotentApi { HoldFirstAnswer = true };
        using var api = Api();
        var runId = await api.StartRunAsync(await api.ImportAsync(Playbook(invoices, """{ "id": "done", "kind": "end", "settings": { "outcome": "invoiced" } }""",
            """{ "from": "invoice", "to": "done" }""")));
        // The server has the request (and applied it) but never answers: the app dies mid-request.
        await invoices.WaitForRequestsAsync(1);

        await app.RestartAsync();
        var run = await api.WaitForEndAsync(runId);

        Assert.True(EngineApiClient.Status(run) == "Completed", $"{run.ToJsonString()}\n{app.Describe()}");
        Assert.Equal("invoiced", run["run"]!["outcome"]!.GetValue<string>());
        Assert.Equal(1, invoices.Effects);
        var keys = invoices.Requests.Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotNull(Assert.Single(keys.Distinct()));
        Assert.Equal(2, EngineApiClient.Step(run, "invoice")!["attempts"]!.GetValue<int>());
        var kinds = await TraceKindsAsync(api, runId);
        Assert.Contains("step.recovered", kinds);
        Assert.Contains("http.resent", kinds);
    }

    [Fact]
    public async Task A_run_killed_during_a_delay_completes_after_its_due_time_without_sending_its_earlier_call_again()
    {
        await using var invoices = new IdempotentApi();
        using var api = Api();
        var runId = await api.StartRunAsync(await api.ImportAsync(Playbook(invoices,
            """
            { "id": "wait", "kind": "delay", "settings": { "seconds": 6 } },
            { "id": "done", "kind": "end", "settings": { "outcome": "reminded" } }
            """,
            """{ "from": "invoice", "to": "wait" }, { "from": "wait", "to": "done" }""")));
        await api.WaitForRunAsync(runId, r => EngineApiClient.Step(r, "wait")?["status"]?.GetValue<string>() == "Waiting", "the delay waits");
        var timerSet = await api.WaitForTraceEventAsync(runId, "timer.set");
        var dueAt = JsonNode.Parse(timerSet["dataJson"]!.GetValue<string>())!["dueAt"]!.GetValue<DateTime>();

        await app.RestartAsync();
        var run = await api.WaitForEndAsync(runId);

        Assert.True(EngineApiClient.Status(run) == "Completed", $"{run.ToJsonString()}\n{app.Describe()}");
        Assert.Equal("reminded", run["run"]!["outcome"]!.GetValue<string>());
        var endedAt = run["run"]!["endedAt"]!.GetValue<DateTime>();
        Assert.True(endedAt >= dueAt, $"The run ended at {endedAt:O}, before its timer was due at {dueAt:O}.");
        Assert.Single(invoices.Requests);
        Assert.Equal(1, invoices.Effects);
        // The restarted app fired the timer: it was still waiting when the first one died.
        var kinds = await TraceKindsAsync(api, runId);
        Assert.True(kinds.IndexOf("run.recovered") < kinds.IndexOf("timer.fired"), string.Join(", ", kinds));
    }

    private EngineApiClient Api() => new(app.BaseAddress, ApiAppFixture.ApiKey);

    /// <summary>start → invoice (POST to the API) → the given nodes.</summary>
    private static string Playbook(IdempotentApi invoices, string nodes, string edges) => $$"""
        { "schema": "blazoros/playbook@1", "name": "Invoice {{Guid.NewGuid():N}}", "delegation": "delegated",
          "nodes": [
            { "id": "start", "kind": "trigger.manual" },
            { "id": "invoice", "kind": "http", "settings": { "method": "POST", "url": "{{invoices.Url("invoices")}}", "body": "{\"amount\": 120}" } },
            {{nodes}}
          ],
          "edges": [ { "from": "start", "to": "invoice" }, {{edges}} ] }
        """;

    private static async Task<List<string>> TraceKindsAsync(EngineApiClient api, Guid runId) =>
        [.. (await api.TraceAsync(runId)).Select(Kind)];

    private static string Kind(JsonNode? traceEvent) => traceEvent!["kind"]!.GetValue<string>();
}
