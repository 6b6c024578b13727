using System.Text.Json.Nodes;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>
/// The run page in Chromium, watching a run as it goes: an agent step (the app's real model connector against the
/// scripted OpenAI-compatible endpoint on 127.0.0.1, held until the test lets it answer), a condition, an approval
/// answered in the inbox in a second tab, an HTTP step and the end. Invariant: the page fills in by itself, without a
/// reload, and the canvas shows each step's status until every step on the path is green.
/// </summary>
public sealed class RunPageLiveTests(BrowserFixture browser, RunsAppFixture app, ITestOutputHelper output)
    : RunPageTest(browser, app, output), IClassFixture<RunsAppFixture>
{
    private static readonly string[] Path = ["start", "score", "hot", "review", "notify", "sent"];

    [Fact]
    public async Task A_run_with_an_agent_and_an_approval_fills_in_live_and_its_canvas_turns_green()
    {
        var playbook = await App.ImportAsync(RunPlaybooks.LeadScoring(new Uri(App.Model.BaseAddress, "crm")));
        var answer = new TaskCompletionSource();
        App.Model.Enqueue("""{"score": 82, "rationale": "Asked for pricing twice this week."}""", answer.Task);
        await SignInAsync();
        var runId = await App.StartRunAsync(playbook, new { lead = "Ada Lovelace" });

        await OpenRunAsync(runId);
        // Set once: a reload would lose it.
        await Page.EvaluateAsync("() => { window.__sameRunPage = true; }");
        await Assertions.Expect(Step("score")).ToHaveAttributeAsync("data-status", "running");
        await ExpectCanvasStatusAsync("score", "running");
        await ExpectCanvasStatusAsync("start", "done");
        await ScreenshotAsync(41, "run-page-agent-running");

        answer.SetResult();
        await Assertions.Expect(Step("review")).ToHaveAttributeAsync("data-status", "waiting");
        await Assertions.Expect(Page.GetByTestId("run-waiting")).ToContainTextAsync("Send the offer to the lead?");
        await ExpectCanvasStatusAsync("score", "done");
        await ExpectCanvasStatusAsync("review", "waiting");
        Assert.Equal("none", await CanvasStatusAsync("notify"));
        await ScreenshotAsync(42, "run-page-waiting-for-approval");

        // Answered in the inbox, in a second tab: the run page stays open.
        var inbox = await Page.Context.NewPageAsync();
        await inbox.GotoAsync("/approvals");
        await inbox.Locator("#blazoros-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var card = inbox.GetByTestId("approval-card").Filter(new() { HasTextString = "Send the offer to the lead?" });
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        // The click travels over the tab's circuit: closing the tab before the answer lands can drop it.
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await inbox.CloseAsync();

        await Assertions.Expect(Page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
        await Assertions.Expect(Page.Locator("[data-testid=step]")).ToHaveCountAsync(Path.Length);
        foreach (var node in Path)
        {
            await Assertions.Expect(Step(node)).ToHaveAttributeAsync("data-status", "done");
            await ExpectCanvasStatusAsync(node, "done");
        }

        Assert.Equal("none", await CanvasStatusAsync("cold"));
        await Assertions.Expect(Canvas).ToHaveAttributeAsync("data-status-counts", """{"done":6}""");
        await Assertions.Expect(Graph.Locator("g.x6-node[data-cell-id=\"sent\"] rect[data-status=done]")).ToHaveAttributeAsync("stroke", "#2e7d32");
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__sameRunPage === true"), "The run page was reloaded.");
        await Assertions.Expect(Page.GetByTestId("run-summary")).ToContainTextAsync("offer sent");
        await ScreenshotAsync(43, "run-page-completed");

        await Step("hot").Locator(".bos-step-head").ClickAsync();
        var condition = Step("hot").GetByTestId("why-card");
        await Assertions.Expect(condition).ToContainTextAsync("Took 'true'");
        await Assertions.Expect(condition).ToContainTextAsync("steps.score.output.score");
        await Step("score").Locator(".bos-step-head").ClickAsync();
        await Assertions.Expect(Step("score").GetByTestId("why-card")).ToContainTextAsync("Asked for pricing twice this week.");
        await Assertions.Expect(Step("score").GetByTestId("step-prompt")).ToHaveTextAsync("Score Ada Lovelace from 0 to 100 and say why.");
        await ScreenshotAsync(44, "run-page-why-cards");

        // A click on a step of the canvas opens it in the timeline; the canvas itself cannot be edited.
        await Graph.Locator("g.x6-node[data-cell-id=\"notify\"] text").First.ClickAsync();
        await Assertions.Expect(Step("notify").GetByTestId("step-detail")).ToBeVisibleAsync();
        await Assertions.Expect(Step("notify").GetByTestId("why-card")).ToContainTextAsync("Policy: allowed");
        await Assertions.Expect(Canvas).ToHaveAttributeAsync("data-readonly", "true");

        // The export link serves the operator, signed in with the session cookie only.
        var href = await Page.GetByTestId("export-trace").GetAttributeAsync("href");
        var export = await Page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, export.Status);
        var events = JsonNode.Parse(await export.TextAsync())!.AsArray();
        await Assertions.Expect(TraceList).ToHaveAttributeAsync("data-count", events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e!["sequence"]!.GetValue<long>()));
        Assert.Empty(BrowserErrors);
    }
}
