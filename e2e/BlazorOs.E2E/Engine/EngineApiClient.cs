using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BlazorOs.E2E.Engine;

/// <summary>The calls of the HTTP API (CONTRACTS §2) the engine tests make: import, start, and read runs and traces.</summary>
internal sealed class EngineApiClient : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly HttpClient _http;

    public EngineApiClient(Uri baseAddress, string apiKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary><c>POST /api/playbooks</c>; returns the new playbook's id.</summary>
    public async Task<Guid> ImportAsync(string definitionJson)
    {
        using var content = new StringContent(definitionJson, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("api/playbooks", UriKind.Relative), content, Cancel);
        return (await ReadAsync(response, HttpStatusCode.Created))["id"]!.GetValue<Guid>();
    }

    /// <summary><c>POST /api/playbooks/{id}/runs</c>; returns the run's id.</summary>
    public async Task<Guid> StartRunAsync(Guid playbookId)
    {
        using var response = await _http.PostAsJsonAsync(new Uri($"api/playbooks/{playbookId}/runs", UriKind.Relative),
            new { inputs = new { } }, Cancel);
        return (await ReadAsync(response, HttpStatusCode.Accepted))["runId"]!.GetValue<Guid>();
    }

    /// <summary><c>GET /api/runs/{runId}</c>: <c>{ run: { status, outcome, … }, steps: [ { nodeId, status, attempts, … } ] }</c>.</summary>
    public async Task<JsonObject> RunAsync(Guid runId)
    {
        using var response = await _http.GetAsync(new Uri($"api/runs/{runId}", UriKind.Relative), Cancel);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary><c>GET /api/runs/{runId}/trace</c>: the run's trace events in order.</summary>
    public async Task<JsonArray> TraceAsync(Guid runId) =>
        (await _http.GetFromJsonAsync<JsonArray>(new Uri($"api/runs/{runId}/trace", UriKind.Relative), Cancel))!;

    /// <summary>
    /// Polls the trace until an event of <paramref name="kind"/> is in it. A wait's event commits just after the step
    /// turns Waiting, so a test that saw the step waiting may read the trace a moment too early.
    /// </summary>
    public async Task<JsonNode> WaitForTraceEventAsync(Guid runId, string kind)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var found = (await TraceAsync(runId)).FirstOrDefault(e => e?["kind"]?.GetValue<string>() == kind);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} has no '{kind}' event.");
            }

            await Task.Delay(100, Cancel);
        }
    }

    /// <summary>Polls the run until <paramref name="done"/> holds for it; returns what <c>GET /api/runs/{runId}</c> said then.</summary>
    public async Task<JsonObject> WaitForRunAsync(Guid runId, Func<JsonObject, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        var run = await RunAsync(runId);
        while (!done(run))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} did not get to: {what}. Last seen: {run.ToJsonString()}");
            }

            await Task.Delay(100, Cancel);
            run = await RunAsync(runId);
        }

        return run;
    }

    /// <summary>Waits until the run is Completed, Failed or Cancelled.</summary>
    public Task<JsonObject> WaitForEndAsync(Guid runId) =>
        WaitForRunAsync(runId, r => Status(r) is "Completed" or "Failed" or "Cancelled", "an end");

    public static string Status(JsonObject run) => run["run"]!["status"]!.GetValue<string>();

    /// <summary>The step of <paramref name="nodeId"/> in a run read with <see cref="RunAsync"/>, or null before it started.</summary>
    public static JsonObject? Step(JsonObject run, string nodeId) =>
        run["steps"]!.AsArray().LastOrDefault(s => s!["nodeId"]!.GetValue<string>() == nodeId)?.AsObject();

    /// <summary>Polls <c>GET /api/approvals</c> until the run has an open question; returns its id.</summary>
    public async Task<Guid> OpenApprovalAsync(Guid runId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var open = (await _http.GetFromJsonAsync<JsonArray>(new Uri("api/approvals", UriKind.Relative), Cancel))!;
            if (open.FirstOrDefault(a => a!["runId"]!.GetValue<Guid>() == runId) is { } approval)
            {
                return approval["id"]!.GetValue<Guid>();
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} opened no question.");
            }

            await Task.Delay(100, Cancel);
        }
    }

    /// <summary><c>POST /api/approvals/{id}</c> with a decision (approve, reject, …).</summary>
    public async Task AnswerAsync(Guid approvalId, string decision)
    {
        using var response = await _http.PostAsJsonAsync(new Uri($"api/approvals/{approvalId}", UriKind.Relative), new { decision }, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Answer refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public void Dispose() => _http.Dispose();
}
