using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary>
/// <c>POST /hooks/{playbookId}</c> starts a run of a webhook playbook with the request body as its input. Invariant:
/// the playbook's secret in <c>X-BlazorOs-Secret</c> is the only credential, and without it nothing starts.
/// </summary>
public sealed class HooksApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    private const string Secret = "hook-secret-0123456789";

    private const string OrderPlaybook = $$"""
        { "schema": "blazoros/playbook@1", "name": "New order", "delegation": "delegated", "webhookSecret": "{{Secret}}",
          "inputs": [{ "name": "payload", "type": "object", "required": true }],
          "nodes": [
            { "id": "hook", "kind": "trigger.webhook" },
            { "id": "big", "kind": "condition", "settings": { "expression": "inputs.payload.order.total > 1000" } },
            { "id": "large", "kind": "end", "settings": { "outcome": "large order" } },
            { "id": "small", "kind": "end", "settings": { "outcome": "small order" } }
          ],
          "edges": [
            { "from": "hook", "to": "big" },
            { "from": "big", "port": "true", "to": "large" },
            { "from": "big", "port": "false", "to": "small" }
          ] }
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_with_the_secret_starts_a_run_with_the_body_as_its_payload()
    {
        using var api = Operator();
        var playbookId = await ImportAsync(api);
        using var hook = app.CreateScript();
        var body = new JsonObject { ["order"] = new JsonObject { ["id"] = "A-42", ["total"] = 1500 } };

        using var response = await hook.SendAsync(Hook(playbookId, Secret, body), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["runId"]!.GetValue<Guid>();
        Assert.Equal($"/api/runs/{runId}", response.Headers.Location?.OriginalString);
        var run = await FinishedRunAsync(api, runId);
        Assert.Equal(("Completed", "Webhook", "large order"),
            (run["status"]!.GetValue<string>(), run["trigger"]!.GetValue<string>(), run["outcome"]!.GetValue<string>()));
        var trace = await api.GetFromJsonAsync<JsonArray>($"/api/runs/{runId}/trace", Cancel);
        var started = JsonNode.Parse(trace!.Single(e => e!["kind"]!.GetValue<string>() == "run.started")!["dataJson"]!.GetValue<string>())!;
        Assert.True(JsonNode.DeepEquals(body, started["inputs"]!["payload"]), started.ToJsonString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hook-secret-wrong-000000")]
    public async Task A_call_without_the_right_secret_is_refused_with_401_and_starts_nothing(string? secret)
    {
        using var api = Operator();
        var playbookId = await ImportAsync(api);
        using var hook = app.CreateScript();

        using var response = await hook.SendAsync(Hook(playbookId, secret, new JsonObject { ["order"] = new JsonObject() }), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // A run starts before the answer is sent, so had one started it would be listed now.
        var runs = await api.GetFromJsonAsync<JsonArray>("/api/runs", Cancel);
        Assert.DoesNotContain(runs!, r => r!["playbookId"]!.GetValue<Guid>() == playbookId);
    }

    private HttpClient Operator()
    {
        var client = app.CreateScript();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BlazorOsAppFactory.ApiKey);
        return client;
    }

    private static async Task<Guid> ImportAsync(HttpClient api)
    {
        using var response = await api.PostAsync(new Uri("/api/playbooks", UriKind.Relative),
            new StringContent(OrderPlaybook, System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["id"]!.GetValue<Guid>();
    }

    private static HttpRequestMessage Hook(Guid playbookId, string? secret, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{playbookId}") { Content = JsonContent.Create(body) };
        if (secret is not null)
        {
            request.Headers.Add("X-BlazorOs-Secret", secret);
        }

        return request;
    }

    /// <summary>Polls <c>GET /api/runs/{runId}</c> until the run has ended; returns its summary.</summary>
    private static async Task<JsonObject> FinishedRunAsync(HttpClient api, Guid runId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonObject run;
        do
        {
            await Task.Delay(50, Cancel);
            run = (await api.GetFromJsonAsync<JsonObject>($"/api/runs/{runId}", Cancel))!["run"]!.AsObject();
        }
        while (run["status"]!.GetValue<string>() is "Running" or "Suspended" && DateTime.UtcNow < deadline);

        return run;
    }
}
