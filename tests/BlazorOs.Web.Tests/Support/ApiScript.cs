using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BlazorOs.Web.Tests.Support;

/// <summary>
/// A script that uses the HTTP API as outside automation does: the <c>BLAZOROS_API_KEY</c> bearer, JSON in and out, and
/// polling for runs and questions, which the engine moves on in the background.
/// </summary>
public sealed class ApiScript(HttpClient http) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Http => http;

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(new Uri(path, UriKind.Relative), Ct);

    public Task<HttpResponseMessage> PostAsync(string path, string json) =>
        http.PostAsync(new Uri(path, UriKind.Relative), Json(json), Ct);

    public Task<HttpResponseMessage> PutAsync(string path, string json) =>
        http.PutAsync(new Uri(path, UriKind.Relative), Json(json), Ct);

    /// <summary>Any call; <paramref name="json"/> goes along as the body of a POST or PUT.</summary>
    public async Task<HttpResponseMessage> SendAsync(string method, string path, string json = "{}")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method is "POST" or "PUT" ? Json(json) : null,
        };
        return await http.SendAsync(request, Ct);
    }

    /// <summary>GET that must answer 200 with JSON; the parsed body.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Imports a definition (201) and returns the playbook's id.</summary>
    public async Task<Guid> ImportAsync(string definition)
    {
        using var response = await PostAsync("/api/playbooks", definition);
        return (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <summary>Starts a run (202) and returns its id.</summary>
    public async Task<Guid> StartRunAsync(Guid playbookId, string inputs = "{}")
    {
        using var response = await PostAsync($"/api/playbooks/{playbookId}/runs", $$"""{ "inputs": {{inputs}} }""");
        return (await ReadAsync(response, HttpStatusCode.Accepted)).GetProperty("runId").GetGuid();
    }

    /// <summary>Polls <c>GET /api/runs/{runId}</c> until the run's status is one of <paramref name="statuses"/>; the run detail.</summary>
    public Task<JsonElement> WaitForRunAsync(Guid runId, params string[] statuses) =>
        PollAsync($"/api/runs/{runId}", run => statuses.Contains(run.GetProperty("run").GetProperty("status").GetString()),
            $"run {runId} to be {string.Join(" or ", statuses)}");

    /// <summary>Polls the open questions until the run has one; that question.</summary>
    public async Task<JsonElement> WaitForOpenApprovalAsync(Guid runId)
    {
        var open = await PollAsync("/api/approvals?status=open",
            list => list.EnumerateArray().Any(a => a.GetProperty("runId").GetGuid() == runId), $"an open question of run {runId}");
        return open.EnumerateArray().First(a => a.GetProperty("runId").GetGuid() == runId);
    }

    /// <summary>The body of a response that must have <paramref name="status"/> and a JSON body.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        JsonElement last;
        do
        {
            last = await GetJsonAsync(path);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(25, Ct);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}; last answer: {last}");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

/// <summary>RFC 7807 answers.</summary>
public static class ApiAssert
{
    /// <summary>
    /// Asserts a problem details body (<c>application/problem+json</c>) with <paramref name="status"/> and, if given, a detail
    /// containing <paramref name="detailPart"/>; returns the body.
    /// </summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? detailPart = null)
    {
        var body = await ApiScript.ReadAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        if (detailPart is not null)
        {
            Assert.Contains(detailPart, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        return body;
    }

    /// <summary>Asserts a 400 validation problem whose <c>errors</c> name exactly <paramref name="fields"/>.</summary>
    public static async Task<JsonElement> InvalidFieldsAsync(HttpResponseMessage response, params string[] fields)
    {
        var body = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(fields.Order(StringComparer.Ordinal), body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        return body;
    }
}

/// <summary>The calls of CONTRACTS §2, as the OpenAPI document writes their paths.</summary>
public static class ContractEndpoints
{
    public static readonly IReadOnlyList<(string Method, string Path)> All =
    [
        ("POST", "/api/playbooks"),
        ("GET", "/api/playbooks"),
        ("GET", "/api/playbooks/{id}"),
        ("PUT", "/api/playbooks/{id}"),
        ("GET", "/api/playbooks/{id}/versions/{number}"),
        ("POST", "/api/playbooks/{id}/runs"),
        ("GET", "/api/runs"),
        ("GET", "/api/runs/{runId}"),
        ("GET", "/api/runs/{runId}/trace"),
        ("POST", "/api/runs/{runId}/cancel"),
        ("GET", "/api/approvals"),
        ("POST", "/api/approvals/{id}"),
        ("GET", "/api/memory/search"),
        ("POST", "/api/memory/facts"),
        ("GET", "/api/memory/facts/{id}"),
        ("PUT", "/api/memory/facts/{id}"),
        ("GET", "/api/memory/facts/{id}/revisions"),
        ("POST", "/api/memory/facts/{id}/revert"),
        ("POST", "/api/memory/decisions"),
        ("GET", "/api/memory/decisions/{id}"),
        ("PUT", "/api/memory/decisions/{id}"),
        ("GET", "/api/memory/decisions/{id}/revisions"),
        ("POST", "/api/memory/decisions/{id}/revert"),
        ("GET", "/api/memory/records"),
        ("POST", "/api/memory/records/{type}"),
        ("GET", "/api/memory/records/{id}"),
        ("PUT", "/api/memory/records/{id}"),
        ("GET", "/api/memory/records/{id}/revisions"),
        ("POST", "/api/memory/records/{id}/revert"),
        ("GET", "/api/memory/record-types"),
        ("POST", "/hooks/{playbookId}"),
        ("GET", "/health"),
    ];

    /// <summary>The path with a fresh id in every placeholder (and 1 for a version number).</summary>
    public static string Concrete(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}",
        m => m.Groups[1].Value == "number" ? "1" : Guid.NewGuid().ToString());
}

public static class ApiScriptFactoryExtensions
{
    /// <summary>A script with the <c>BLAZOROS_API_KEY</c> bearer.</summary>
    public static ApiScript CreateApiScript(this BlazorOsAppFactory app)
    {
        var http = app.CreateScript();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BlazorOsAppFactory.ApiKey);
        return new ApiScript(http);
    }
}
