using System.Net;
using System.Text;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary><c>POST /hooks/{playbookId}</c> takes the playbook's webhook secret instead of operator auth.</summary>
public sealed class HooksApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    private const string Secret = "hook-secret-0123456789";

    [Fact]
    public async Task A_webhook_with_the_secret_starts_a_run_with_the_body_as_inputs()
    {
        var playbook = await ImportHookAsync();
        using var hook = app.CreateScript();
        using var request = Post(playbook, """{ "lead": "ada@example.com" }""", Secret);

        using var response = await hook.SendAsync(request, ApiScript.Ct);

        var runId = (await ApiScript.ReadAsync(response, HttpStatusCode.Accepted)).GetProperty("runId").GetGuid();
        using var api = app.CreateApiScript();
        var run = (await api.WaitForRunAsync(runId, "Completed", "Failed")).GetProperty("run");
        Assert.Equal(("Completed", "Webhook"), (run.GetProperty("status").GetString(), run.GetProperty("trigger").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret-0123456789")]
    public async Task Without_the_secret_a_webhook_is_a_401_problem(string? secret)
    {
        var playbook = await ImportHookAsync();
        using var hook = app.CreateScript();
        using var request = Post(playbook, "{}", secret);

        using var response = await hook.SendAsync(request, ApiScript.Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "X-BlazorOs-Secret");
    }

    private async Task<Guid> ImportHookAsync()
    {
        using var api = app.CreateApiScript();
        return await api.ImportAsync(ApiPlaybooks.With(
            """{ "id": "done", "kind": "end", "settings": { "outcome": "ok" } }""", """{ "from": "start", "to": "done" }""",
            inputs: """[{ "name": "lead", "type": "string", "required": true }]""", name: "Hooked",
            extra: $$""" "webhookSecret": "{{Secret}}", """, trigger: "trigger.webhook"));
    }

    private static HttpRequestMessage Post(Guid playbook, string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/hooks/{playbook}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add("X-BlazorOs-Secret", secret);
        }

        return request;
    }
}
