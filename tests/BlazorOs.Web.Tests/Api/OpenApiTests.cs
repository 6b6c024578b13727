using System.Net;
using System.Text.Json;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary>The OpenAPI document describes the whole of CONTRACTS §2 and is served to the operator only.</summary>
public sealed class OpenApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    private const string Document = "/openapi/v1.json";

    [Fact]
    public async Task The_document_lists_every_CONTRACTS_endpoint()
    {
        using var api = app.CreateApiScript();

        var document = await api.GetJsonAsync(Document);

        var described = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (operation.Name.ToUpperInvariant(), path.Name)))
            .ToHashSet();
        var missing = ContractEndpoints.All.Where(endpoint => !described.Contains(endpoint)).ToList();
        Assert.True(missing.Count == 0, $"Not in the document: {string.Join(", ", missing)}");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("BlazorOs API", document.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Every_API_operation_has_a_summary_a_success_response_and_problem_responses()
    {
        using var api = app.CreateApiScript();

        var document = await api.GetJsonAsync(Document);

        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), where);
                var responses = operation.Value.GetProperty("responses");
                Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), where);
                Assert.All(responses.EnumerateObject().Where(r => r.Name[0] is '4'), problem =>
                    Assert.True(problem.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{where} {problem.Name}"));
                Assert.True(responses.TryGetProperty("401", out _), where);
            }
        }
    }

    [Fact]
    public async Task The_document_names_the_request_and_response_types()
    {
        using var api = app.CreateApiScript();

        var document = await api.GetJsonAsync(Document);

        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var type in new[] { "FactInput", "FactChange", "FactView", "FactRevisionView", "MemorySearchHit", "RunDetail", "StartRunRequest",
                     "StartRunResponse", "AnswerRequest", "ApprovalSummary", "PlaybookDetail", "PlaybookVersionRef", "TraceMessage" })
        {
            Assert.True(schemas.TryGetProperty(type, out _), type);
        }

        var addFact = document.GetProperty("paths").GetProperty("/api/memory/facts").GetProperty("post");
        Assert.Equal("#/components/schemas/FactInput",
            addFact.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Contains("bearer", document.GetProperty("components").GetProperty("securitySchemes").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_credentials_the_document_is_a_401_problem()
    {
        using var script = app.CreateScript();

        using var response = await script.GetAsync(new Uri(Document, UriKind.Relative), TestContext.Current.CancellationToken);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization: Bearer");
    }

    [Fact]
    public async Task A_signed_in_operator_reads_the_document()
    {
        using var browser = app.CreateBrowser();
        using (await browser.SignInAsync(BlazorOsAppFactory.Password))
        {
        }

        using var response = await browser.GetAsync(Document);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(body.RootElement.TryGetProperty("paths", out _));
    }
}
