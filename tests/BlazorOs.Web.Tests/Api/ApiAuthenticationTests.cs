using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BlazorOs.Core.Operator;
using BlazorOs.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Web.Tests.Api;

/// <summary>Every <c>/api</c> endpoint needs the operator: a session cookie or a known API key. Refusals are problem details.</summary>
public sealed class ApiAuthenticationTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    public static TheoryData<string> Endpoints => ["/api/runs", "/api/playbooks", "/api/approvals"];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_credentials_the_api_answers_401_problem_details(string path)
    {
        using var script = app.CreateScript();

        using var response = await script.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization: Bearer");
    }

    public static TheoryData<string, string> ContractCalls()
    {
        var calls = new TheoryData<string, string>();
        foreach (var (method, path) in ContractEndpoints.All.Where(e => e.Path != "/health"))
        {
            calls.Add(method, ContractEndpoints.Concrete(path));
        }

        return calls;
    }

    [Theory]
    [MemberData(nameof(ContractCalls))]
    public async Task Every_CONTRACTS_call_without_credentials_is_a_401_problem(string method, string path)
    {
        using var script = new ApiScript(app.CreateScript());

        using var response = await script.SendAsync(method, path);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_answers_without_credentials()
    {
        using var script = app.CreateScript();

        using var response = await script.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_unknown_key_is_refused_with_401(string path)
    {
        using var script = app.CreateScript();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bos_unknown-key-0123456789abcdefghij");

        using var response = await script.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unknown or was revoked");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task The_key_from_BLAZOROS_API_KEY_is_let_in(string path)
    {
        using var script = app.CreateScript();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BlazorOsAppFactory.ApiKey);

        using var response = await script.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(JsonValueKind.Array, body.RootElement.ValueKind);
    }

    [Fact]
    public async Task A_signed_in_browser_reads_the_api_with_its_session_cookie()
    {
        using var browser = app.CreateBrowser();
        using (var signIn = await browser.SignInAsync(BlazorOsAppFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var response = await browser.GetAsync("/api/playbooks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_api_lists_what_the_store_holds()
    {
        var seed = app.Seeder();
        var version = await seed.PlaybookAsync("Invoice follow-up");
        var run = await seed.RunAsync(version, TimeSpan.FromMinutes(5));
        await seed.ApprovalAsync(run, "Send the reminder?");
        using var script = Authorized();

        using var runs = JsonDocument.Parse(await script.GetStringAsync(new Uri("/api/runs?status=running", UriKind.Relative), TestContext.Current.CancellationToken));
        using var playbooks = JsonDocument.Parse(await script.GetStringAsync(new Uri("/api/playbooks", UriKind.Relative), TestContext.Current.CancellationToken));
        using var approvals = JsonDocument.Parse(await script.GetStringAsync(new Uri("/api/approvals?status=open", UriKind.Relative), TestContext.Current.CancellationToken));

        Assert.Equal(run.Id, Assert.Single(runs.RootElement.EnumerateArray()).GetProperty("runId").GetGuid());
        Assert.Equal("Running", runs.RootElement[0].GetProperty("status").GetString());
        Assert.Equal("Invoice follow-up", Assert.Single(playbooks.RootElement.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("Send the reminder?", Assert.Single(approvals.RootElement.EnumerateArray()).GetProperty("question").GetString());
    }

    [Fact]
    public async Task An_unknown_run_status_is_a_400_that_lists_the_statuses()
    {
        using var script = Authorized();

        using var response = await script.GetAsync(new Uri("/api/runs?status=bogus", UriKind.Relative), TestContext.Current.CancellationToken);

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Unknown status 'bogus'");
        Assert.Contains("Running, Suspended, Completed, Failed, Cancelled", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_address_is_a_404_problem()
    {
        using var script = Authorized();

        using var response = await script.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_key_is_refused()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var created = await keys.CreateAsync("zapier", TestContext.Current.CancellationToken);
        using var script = app.CreateScript();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Plaintext);
        using (var before = await script.GetAsync(new Uri("/api/runs", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await keys.RevokeAsync(created.Key.Id, TestContext.Current.CancellationToken);

        using var after = await script.GetAsync(new Uri("/api/runs", UriKind.Relative), TestContext.Current.CancellationToken);
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, "unknown or was revoked");
    }

    private HttpClient Authorized() => app.CreateApiScript().Http;

    /// <summary>Asserts an RFC 7807 body with the status and a detail containing <paramref name="detailPart"/>; returns the detail.</summary>
    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailPart) =>
        (await ApiAssert.ProblemAsync(response, status, detailPart)).GetProperty("detail").GetString()!;
}
