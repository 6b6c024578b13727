using BlazorOs.E2E.Engine;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>
/// The run page's working-memory panel in Chromium: a run notes a draft's status, waits for approval (answered over the
/// API while the page stays open), then overwrites the note and adds another. Invariant: the panel follows the run
/// without a reload, keeps the replaced value one click away, and says the notes were discarded once the run ended.
/// </summary>
public sealed class RunPageWorkingMemoryTests(BrowserFixture browser, RunsAppFixture app, ITestOutputHelper output)
    : RunPageTest(browser, app, output), IClassFixture<RunsAppFixture>
{
    private ILocator Panel => Page.GetByTestId("working-memory");

    private ILocator Note(string predicate) => Panel.Locator($"[data-testid=working-note][data-predicate=\"{predicate}\"]");

    [Fact]
    public async Task The_working_memory_panel_follows_the_runs_notes_live_and_says_they_were_discarded_at_the_end()
    {
        var playbook = await App.ImportAsync(RunPlaybooks.DraftNotes);
        await SignInAsync();
        var runId = await App.StartRunAsync(playbook, new { client = "Acme" });
        await App.WaitForStatusAsync(runId, "Suspended", TimeSpan.FromSeconds(30));

        await OpenRunAsync(runId);
        await Page.EvaluateAsync("() => { window.__sameRunPage = true; }");
        await Assertions.Expect(Panel).ToHaveAttributeAsync("data-ended", "false");
        await Assertions.Expect(Note("draft-status").GetByTestId("note-value")).ToHaveTextAsync("first draft written");
        await Assertions.Expect(Panel).ToContainTextAsync("dropped when it ends");
        await Assertions.Expect(Step("first").GetByTestId("step-why")).ToHaveTextAsync("Noted for this run: Acme draft-status = first draft written");
        await Assertions.Expect(TraceList.Locator(".bos-trace-working")).ToHaveCountAsync(1);
        await ScreenshotAsync(53, "run-page-working-memory-live");

        using (var api = new EngineApiClient(App.BaseAddress, RunsAppFixture.ApiKey))
        {
            await api.AnswerAsync(await api.OpenApprovalAsync(runId), "approve");
        }

        await Assertions.Expect(Page.GetByTestId("run-status")).ToHaveTextAsync("Completed");
        await Assertions.Expect(Panel).ToHaveAttributeAsync("data-ended", "true");
        await Assertions.Expect(Panel.GetByTestId("working-memory-discarded")).ToContainTextAsync("Discarded when the run ended");
        await Assertions.Expect(Panel.Locator("[data-testid=working-note]")).ToHaveCountAsync(2);
        await Assertions.Expect(Note("draft-status").GetByTestId("note-value")).ToHaveTextAsync("second draft sent");
        await Assertions.Expect(Note("draft-status").Locator("a")).ToHaveTextAsync("second");
        await Assertions.Expect(Note("owner").GetByTestId("note-value")).ToHaveTextAsync("Dana follows up on Friday");
        await Assertions.Expect(TraceList.Locator(".bos-trace-working")).ToHaveCountAsync(3);

        await Note("draft-status").GetByTestId("note-earlier-toggle").ClickAsync();
        var earlier = Panel.GetByTestId("note-earlier");
        await Assertions.Expect(earlier).ToHaveCountAsync(1);
        await Assertions.Expect(earlier).ToContainTextAsync("first draft written");
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__sameRunPage === true"), "The run page was reloaded.");
        await ScreenshotAsync(54, "run-page-working-memory-discarded");

        // The step that wrote a value opens in the timeline.
        await earlier.Locator("a").ClickAsync();
        await Assertions.Expect(Step("first").GetByTestId("step-notes")).ToContainTextAsync("Acme draft-status = first draft written");
        Assert.Empty(BrowserErrors);
    }
}
