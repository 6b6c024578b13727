using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlazorOs.E2E.Engine;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Memory;

/// <summary>
/// The memory plane in a real browser against the real app: a playbook's <c>memory.write</c> step writes a fact, the
/// operator finds it in the explorer, follows its provenance to the run that wrote it, and reverts a later change.
/// </summary>
public sealed class MemoryExplorerTests(BrowserFixture browser, MemoryAppFixture app, ITestOutputHelper output)
    : BrowserTest(browser, app, output), IClassFixture<MemoryAppFixture>
{
    [Fact]
    public async Task A_fact_written_by_a_run_is_found_traced_to_its_run_and_a_later_change_is_reverted()
    {
        var client = $"Contoso {Guid.NewGuid().ToString("N")[..6]}";
        using var api = new EngineApiClient(App.BaseAddress, MemoryAppFixture.ApiKey);
        var runId = await api.StartRunAsync(await api.ImportAsync(RememberPlaybook(client)));
        var run = await api.WaitForEndAsync(runId);
        Assert.True(EngineApiClient.Status(run) == "Completed", $"{run.ToJsonString()}\n{App.Describe()}");
        var factId = Guid.Parse(EngineApiClient.Step(run, "remember")!["output"]!["id"]!.GetValue<string>());
        // Someone changes it through the API afterwards: the change the operator will undo.
        await ChangeAsync(factId, """{ "value": "fax", "confidence": 0.3, "reason": "Scraped from an old letterhead" }""");

        await Page.GotoAsync("/signin");
        await SignInAsync(MemoryAppFixture.OperatorPassword);
        await ExpectPathAsync("/");
        await Page.GotoAsync("/memory");
        await WaitForCircuitAsync();
        await Page.GetByPlaceholder("Search subject, predicate or value").FillAsync(client);
        var result = Page.Locator("[data-testid='memory-item-link']", new() { HasText = client });
        await Assertions.Expect(result).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator("[data-testid='facet-type']")).ToContainTextAsync("fact (1)");
        await ScreenshotAsync(40, "memory-explorer-search");

        await result.ClickAsync();
        await ExpectPathAsync($"/memory/facts/{factId}");
        await Assertions.Expect(Page.Locator("[data-testid='current-value']")).ToHaveTextAsync("fax");
        var created = Page.Locator("[data-testid='revisions'] tbody tr").Filter(new() { Has = Page.Locator("td[data-revision='1']") });
        await Assertions.Expect(created.Locator("[data-testid='provenance-run']")).ToContainTextAsync("Remember the channel");
        await Assertions.Expect(created.Locator("[data-testid='provenance-step']")).ToHaveTextAsync("remember");
        await ScreenshotAsync(41, "memory-fact-history");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Revert to revision 1" }).ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Revert to revision 1?");
        await dialog.GetByLabel("Reason").FillAsync("The letterhead is from 2009; they use email");
        await ScreenshotAsync(42, "memory-revert-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revert", Exact = true }).ClickAsync();

        await Assertions.Expect(Page.Locator("[data-testid='current-value']")).ToHaveTextAsync("email");
        await Assertions.Expect(Page.Locator("[data-testid='revisions'] tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(Page.Locator("[data-testid='revisions'] tbody tr").First)
            .ToContainTextAsync("Reverted to revision 1: The letterhead is from 2009; they use email");
        await ScreenshotAsync(43, "memory-fact-reverted");
        var history = JsonNode.Parse(await GetAsync($"api/memory/facts/{factId}/revisions"))!.AsArray();
        Assert.Equal(["email", "fax", "email"], history.Select(r => r!["new"]!["value"]!.GetValue<string>()));

        // The step link opens the run with the step that wrote the fact unfolded.
        await created.Locator("[data-testid='provenance-step']").ClickAsync();
        await Page.WaitForURLAsync(new Regex($"/runs/{runId}\\?step=remember$"));
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Remember the channel") })).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("[data-testid=step][data-node=remember] [data-testid=step-detail]")).ToBeVisibleAsync();
        await ScreenshotAsync(44, "memory-provenance-run");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Records_are_imported_from_a_csv_with_a_bad_row_and_a_retention_rule_is_previewed()
    {
        await Page.GotoAsync("/signin");
        await SignInAsync(MemoryAppFixture.OperatorPassword);
        await ExpectPathAsync("/");
        await Page.GotoAsync("/memory/records/import?type=company");
        await WaitForCircuitAsync();
        var csv = Path.Combine(Path.GetTempPath(), $"companies-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, string.Join('\n', "name,website,industry", "Northwind,https://northwind.example,Retail",
            ",https://nameless.example,", "Fabrikam,fabrikam dot com,Textiles"), TestContext.Current.CancellationToken);
        try
        {
            await Page.Locator("#import-file").SetInputFilesAsync(csv);
            await Assertions.Expect(Page.Locator("[data-testid='import-file-name']")).ToContainTextAsync("(CSV)");
            await Button("Import").ClickAsync();
        }
        finally
        {
            File.Delete(csv);
        }

        await Assertions.Expect(Page.Locator("[data-testid='import-summary']")).ToContainTextAsync("Nothing was imported: 2 problem(s) in 3 row(s)");
        await Assertions.Expect(Page.Locator("[data-testid='import-problems'] tbody tr")).ToHaveCountAsync(2);
        await ScreenshotAsync(45, "memory-import-problems");
        await Button("Import the 1 valid rows").ClickAsync();
        await Assertions.Expect(Page.Locator("[data-testid='import-summary']")).ToContainTextAsync("Imported 1 of 3 row(s)");

        await Page.GotoAsync("/memory/records?type=company");
        await Assertions.Expect(Page.Locator("[data-testid='records'] tbody tr")).ToContainTextAsync("Northwind");
        await ScreenshotAsync(46, "memory-records");
        await Page.GotoAsync("/memory/records/types/company");
        await Assertions.Expect(Page.Locator("[data-field-row]")).ToHaveCountAsync(3);
        await ScreenshotAsync(47, "memory-record-type-editor");

        await Page.GotoAsync("/memory/retention");
        await WaitForCircuitAsync();
        await Button("Preview").ClickAsync();
        await Assertions.Expect(Page.Locator("[data-testid='retention-preview']")).ToContainTextAsync("would delete nothing");
        await ScreenshotAsync(48, "memory-retention");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task A_low_confidence_contradiction_is_found_under_needs_review_and_accepted_from_the_fact_page()
    {
        var client = $"Tailspin {Guid.NewGuid().ToString("N")[..6]}";
        using var api = new EngineApiClient(App.BaseAddress, MemoryAppFixture.ApiKey);
        var first = await api.WaitForEndAsync(await api.StartRunAsync(await api.ImportAsync(RememberPlaybook(client))));
        var factId = Guid.Parse(EngineApiClient.Step(first, "remember")!["output"]!["id"]!.GetValue<string>());
        // A second run contradicts it with a guess below the review threshold (0.7 by default): the fact waits for review.
        var guess = await api.WaitForEndAsync(await api.StartRunAsync(await api.ImportAsync(RememberPlaybook(client, "fax", 0.3))));
        Assert.True(EngineApiClient.Status(guess) == "Completed", $"{guess.ToJsonString()}\n{App.Describe()}");

        await Page.GotoAsync("/signin");
        await SignInAsync(MemoryAppFixture.OperatorPassword);
        await ExpectPathAsync("/");
        await Page.GotoAsync("/memory?needsReview=true");
        await WaitForCircuitAsync();
        var result = Page.Locator("[data-testid='memory-item-link']", new() { HasText = client });
        await Assertions.Expect(result).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator("[data-testid='filter-needs-review']")).ToContainTextAsync("Needs review (");
        await ScreenshotAsync(51, "memory-needs-review");

        await result.ClickAsync();
        await ExpectPathAsync($"/memory/facts/{factId}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Accept current value" }).ClickAsync();
        await Assertions.Expect(Page.Locator("[data-testid='needs-review']")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid='revisions'] tbody tr").First).ToContainTextAsync("Reviewed: the current value is accepted");
        await ScreenshotAsync(52, "memory-fact-reviewed");
        var fact = JsonNode.Parse(await GetAsync($"api/memory/facts/{factId}"))!;
        Assert.Equal(("fax", 3), (fact["value"]!.GetValue<string>(), fact["revision"]!.GetValue<int>()));
        Assert.Empty(BrowserErrors);
    }

    /// <summary>start → remember (memory.write: the client's preferred channel is email) → done.</summary>
    private static string RememberPlaybook(string client, string value = "email", double confidence = 0.9) => $$"""
        { "schema": "blazoros/playbook@1", "name": "Remember the channel {{Guid.NewGuid().ToString("N")[..6]}}", "delegation": "delegated",
          "nodes": [
            { "id": "start", "kind": "trigger.manual" },
            { "id": "remember", "kind": "memory.write",
              "settings": { "subject": "{{client}}", "predicate": "preferred channel", "value": "{{value}}", "scope": "business", "confidence": {{confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } },
            { "id": "done", "kind": "end", "settings": { "outcome": "remembered" } }
          ],
          "edges": [ { "from": "start", "to": "remember" }, { "from": "remember", "to": "done" } ] }
        """;

    private async Task ChangeAsync(Guid factId, string json)
    {
        using var http = Http();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri($"api/memory/facts/{factId}", UriKind.Relative), content, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<string> GetAsync(string path)
    {
        using var http = Http();
        return await http.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
    }

    private HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = App.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MemoryAppFixture.ApiKey);
        return http;
    }
}
