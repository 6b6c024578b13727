using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Designer;

/// <summary>A BlazorOs with an operator password and an API key, so tests can import playbooks over the API.</summary>
public sealed class DesignerAppFixture : BlazorOsAppFixture
{
    public const string OperatorPassword = "e2e-designer-password-1";
    public const string ApiKey = "e2e-designer-api-key-0123456789";

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment { get; } = new Dictionary<string, string>
    {
        ["BLAZOROS_OPERATOR_PASSWORD"] = OperatorPassword,
        ["BLAZOROS_API_KEY"] = ApiKey,
    };

    /// <summary>The operator's session once a test has signed in (see <see cref="DesignerTest"/>).</summary>
    public IReadOnlyList<Microsoft.Playwright.Cookie>? SessionCookies { get; set; }

    /// <summary>Imports a playbook document over the API; returns its id.</summary>
    public async Task<Guid> ImportAsync(string json)
    {
        using var http = Api();
        using var response = await http.PostAsync(new Uri("api/playbooks", UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Import failed: {(int)response.StatusCode} {body}");
        return Guid.Parse(JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }

    /// <summary>The stored JSON of a version.</summary>
    public async Task<string> VersionAsync(Guid id, int number)
    {
        using var http = Api();
        return await http.GetStringAsync(new Uri($"api/playbooks/{id}/versions/{number}", UriKind.Relative));
    }

    public async Task StartRunAsync(Guid id)
    {
        using var http = Api();
        using var response = await http.PostAsJsonAsync(new Uri($"api/playbooks/{id}/runs", UriKind.Relative), new { inputs = new { lead_email = "a@example.com" } });
        Assert.True(response.IsSuccessStatusCode, $"Run failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }
}
