using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>
/// A BlazorOs with an operator password, an API key and a model: <see cref="Model"/>, an OpenAI-compatible endpoint on
/// 127.0.0.1 that answers as each test scripts it, and also serves the pages HTTP steps call.
/// </summary>
public sealed class RunsAppFixture : BlazorOsAppFixture, IAsyncLifetime
{
    public const string OperatorPassword = "e2e-runs-password-1";
    public const string ApiKey = "e2e-runs-api-key-0123456789abc";

    public ScriptedModel Model { get; } = new();

    /// <summary>The operator's session once a test has signed in.</summary>
    public IReadOnlyList<Cookie>? SessionCookies { get; set; }

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment => new Dictionary<string, string>
    {
        ["BLAZOROS_OPERATOR_PASSWORD"] = OperatorPassword,
        ["BLAZOROS_API_KEY"] = ApiKey,
        ["BLAZOROS_LLM_ENDPOINT"] = new Uri(Model.BaseAddress, "v1").ToString(),
        ["BLAZOROS_LLM_KEY"] = "sk-e2e",
        ["BLAZOROS_LLM_MODEL"] = ScriptedModel.Name,
    };

    /// <summary><c>POST /api/playbooks</c>; returns the playbook's id.</summary>
    public async Task<Guid> ImportAsync(string json)
    {
        using var http = Api();
        using var response = await http.PostAsync(new Uri("api/playbooks", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Import failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
    }

    /// <summary><c>POST /api/playbooks/{id}/runs</c>; returns the run's id.</summary>
    public async Task<Guid> StartRunAsync(Guid playbookId, object inputs)
    {
        using var http = Api();
        using var response = await http.PostAsJsonAsync(new Uri($"api/playbooks/{playbookId}/runs", UriKind.Relative), new { inputs });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["runId"]!.GetValue<Guid>();
    }

    /// <summary><c>GET /api/runs/{id}</c> until the run has <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(Guid runId, string status, TimeSpan patience)
    {
        using var http = Api();
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var run = (await http.GetFromJsonAsync<JsonObject>(new Uri($"api/runs/{runId}", UriKind.Relative)))!;
            var now = run["run"]!["status"]!.ToString();
            if (now == status)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} is {now}, not {status}: {run.ToJsonString()}");
            await Task.Delay(250);
        }
    }

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        await Model.DisposeAsync();
    }
}
