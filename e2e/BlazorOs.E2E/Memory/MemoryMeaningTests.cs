using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BlazorOs.Core.Tests.Activities;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Memory;

/// <summary>
/// A BlazorOs with an embeddings model (<c>BLAZOROS_EMBEDDING_MODEL</c>) at an OpenAI-compatible endpoint on 127.0.0.1 whose
/// embedding counts one concept: "invoice" and "bill" mean the same, everything else nothing.
/// </summary>
public sealed class MemoryMeaningAppFixture : BlazorOsAppFixture, IAsyncLifetime
{
    public const string OperatorPassword = "e2e-meaning-password-1";
    public const string ApiKey = "e2e-meaning-key-0123456789abcdefghij";

    private readonly LoopbackServer _embeddings = LoopbackServer.Start();

    public MemoryMeaningAppFixture() => _embeddings.Respond = Embed;

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment => new Dictionary<string, string>
    {
        ["BLAZOROS_OPERATOR_PASSWORD"] = OperatorPassword,
        ["BLAZOROS_API_KEY"] = ApiKey,
        ["BLAZOROS_LLM_ENDPOINT"] = new Uri(_embeddings.BaseAddress, "v1").ToString(),
        ["BLAZOROS_EMBEDDING_MODEL"] = "e2e-concepts",
    };

    private static CannedResponse Embed(ReceivedRequest request)
    {
        if (!request.Path.StartsWith("/v1/embeddings", StringComparison.Ordinal))
        {
            return new CannedResponse(404, """{"error":{"message":"embeddings only"}}""");
        }

        var body = JsonNode.Parse(request.Body)!;
        var inputs = body["input"] is JsonArray array ? array.Select(i => i!.GetValue<string>()).ToList() : [body["input"]!.GetValue<string>()];
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var words = inputs[i].ToLowerInvariant().Split([' ', ':', ',', '.', '\n'], StringSplitOptions.RemoveEmptyEntries);
            float[] vector = [words.Count(w => w is "invoice" or "invoices" or "bill" or "bills"), 0.01f];
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64
                    ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()))
                    : new JsonArray([.. vector.Select(v => (JsonNode)v)]),
            });
        }

        return new CannedResponse(200, new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = "e2e-concepts",
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["total_tokens"] = 1 },
        }.ToJsonString());
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        await _embeddings.DisposeAsync();
    }
}

/// <summary>
/// Recall by meaning in a real browser against the real app: facts written through the API are embedded by the background
/// indexer, and the explorer finds a fact that says "bill" when asked for "invoice", with a chip saying how each hit was found.
/// </summary>
public sealed class MemoryMeaningTests(BrowserFixture browser, MemoryMeaningAppFixture app, ITestOutputHelper output)
    : BrowserTest(browser, app, output), IClassFixture<MemoryMeaningAppFixture>
{
    [Fact]
    public async Task The_explorer_finds_a_fact_by_meaning_and_says_how_each_hit_was_found()
    {
        await AddFactAsync("Acme Ltd", "open items", "sent us a bill in March, still unpaid");
        await AddFactAsync("Initech", "open items", "invoice 1042 overdue");
        await AddFactAsync("Globex", "office", "moved to Springfield");
        // The indexer embeds in the background (every 5 s): wait until the API finds the bill by meaning.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await SearchAsync("invoice")).Any(h => h!["match"]!.GetValue<string>() == "meaning"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Nothing found by meaning within 60 s.\n{App.Describe()}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        await Page.GotoAsync("/signin");
        await SignInAsync(MemoryMeaningAppFixture.OperatorPassword);
        await ExpectPathAsync("/");
        await Page.GotoAsync("/memory");
        await WaitForCircuitAsync();
        await Page.GetByPlaceholder("Search subject, predicate or value").FillAsync("invoice");

        var rows = Page.Locator("[data-testid='memory-results'] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Initech");
        await Assertions.Expect(rows.Nth(0).Locator("[data-testid='memory-match']")).ToHaveTextAsync("both");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Acme Ltd");
        await Assertions.Expect(rows.Nth(1).Locator("[data-testid='memory-match']")).ToHaveTextAsync("meaning");
        await Assertions.Expect(Page.Locator("[data-testid='memory-recall']")).ToContainTextAsync("by words and meaning (e2e-concepts)");
        await ScreenshotAsync(51, "memory-recall-by-meaning");
        Assert.Empty(BrowserErrors);
    }

    private async Task AddFactAsync(string subject, string predicate, string value)
    {
        using var http = Http();
        var json = new JsonObject { ["subject"] = subject, ["predicate"] = predicate, ["value"] = value }.ToJsonString();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("api/memory/facts", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<JsonArray> SearchAsync(string q)
    {
        using var http = Http();
        return JsonNode.Parse(await http.GetStringAsync(new Uri($"api/memory/search?q={Uri.EscapeDataString(q)}", UriKind.Relative),
            TestContext.Current.CancellationToken))!.AsArray();
    }

    private HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = App.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MemoryMeaningAppFixture.ApiKey);
        return http;
    }
}
