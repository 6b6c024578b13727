using System.Text.RegularExpressions;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>
/// The approvals inbox and the Runs page in Chromium against the real app: questions arrive and leave live, the nav badge
/// follows, a keyboard answer completes the run, and a lost connection shows a banner and recovers by itself.
/// </summary>
public sealed class InboxTests(BrowserFixture browser, RunsAppFixture app, ITestOutputHelper output)
    : RunsTest(browser, app, output), IClassFixture<RunsAppFixture>
{
    private ILocator Badge => Page.Locator("[data-testid=inbox-badge]");

    private ILocator Cards => Page.Locator("[data-testid=approval-card]");

    [Fact]
    public async Task A_run_waiting_for_approval_appears_in_the_inbox_live_and_approving_it_from_the_keyboard_completes_the_run()
    {
        using var api = Api();
        var playbook = await api.ImportAsync(ReviewPlaybook("Board report"));
        await SignInAndOpenAsync("/approvals");
        await Assertions.Expect(Page.GetByText("Nothing waits for you")).ToBeVisibleAsync();
        await Assertions.Expect(Badge).ToHaveCountAsync(0);

        var runId = await api.StartRunAsync(playbook);

        // No reload: the question and the badge arrive over the circuit.
        await Assertions.Expect(Cards).ToHaveCountAsync(1);
        var card = Cards.First;
        await Assertions.Expect(card.Locator("[data-testid=approval-question]")).ToHaveTextAsync("Send the Q3 report to the board?");
        await Assertions.Expect(card.Locator("[data-testid=approval-output]")).ToHaveTextAsync("Dear board, the Q3 report is attached.");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-selected", "true");
        await Assertions.Expect(Badge).ToHaveTextAsync("1");
        // No click needed: the selected card has the keyboard focus.
        await Page.WaitForFunctionAsync("() => !!document.activeElement?.closest('[data-testid=inbox]')");
        await ScreenshotAsync(41, "inbox-question-arrived-live");
        await Page.Locator("[data-testid=inbox]").FocusAsync(); // the screenshot blurred it
        await Page.Keyboard.PressAsync("?");
        await Assertions.Expect(Page.Locator("[data-testid=inbox-help]")).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("a");

        await Assertions.Expect(Cards).ToHaveCountAsync(0);
        await Assertions.Expect(Badge).ToHaveCountAsync(0);
        var run = await api.WaitForRunAsync(runId, r => r["run"]!["status"]!.GetValue<string>() == "Completed", "completed");
        Assert.Equal("approved", run["run"]!["outcome"]!.GetValue<string>());

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Recently answered" }).ClickAsync();
        // The other test of this class may have answered its own question first: find this run's row.
        var answered = Page.Locator("[data-testid=answered-table] tbody tr").Filter(new() { Has = Page.Locator($"a[href='/runs/{runId}']") });
        await Assertions.Expect(answered).ToHaveCountAsync(1);
        await Assertions.Expect(answered.First).ToContainTextAsync("operator");
        await Assertions.Expect(answered.First).ToContainTextAsync("Approve");
        await ScreenshotAsync(42, "inbox-recently-answered");

        // The dashboard counts it and links to the filtered Runs page, whose filters live in the query string.
        await Page.GotoAsync("/");
        await WaitForCircuitAsync();
        await Assertions.Expect(Page.Locator("[data-testid=cost-chart]")).ToBeVisibleAsync();
        await ScreenshotAsync(45, "dashboard");
        await Page.GotoAsync("/runs?status=Completed&since=today");
        await WaitForCircuitAsync();
        var statuses = Page.Locator("[data-testid=run-live]");
        await Assertions.Expect(statuses.First).ToHaveAttributeAsync("data-status", "Completed");
        Assert.All(await statuses.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)"), s => Assert.Equal("Completed", s));
        await Assertions.Expect(Page.Locator("[data-testid=filter-status]")).ToHaveValueAsync("Completed");
        await ScreenshotAsync(46, "runs-filtered-by-link");
    }

    [Fact]
    public async Task The_runs_page_shows_a_lost_connection_and_catches_up_by_itself_when_it_is_back()
    {
        // Offline mode does not close open WebSockets (microsoft/playwright#4910): route Blazor's socket through the test
        // so the test can drop it while the browser is offline, as a real network loss would.
        var sockets = new List<IWebSocketRoute>();
        await Page.RouteWebSocketAsync(new Regex("/_blazor"), socket =>
        {
            lock (sockets)
            {
                sockets.Add(socket);
            }

            socket.ConnectToServer();
        });
        using var api = Api();
        var playbook = await api.ImportAsync(ReviewPlaybook("Offline report"));
        await SignInAndOpenAsync("/runs");

        var runId = await api.StartRunAsync(playbook);
        var status = Page.Locator($"[data-testid=run-live][data-run-id=\"{runId}\"]");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Suspended");
        var banner = Page.Locator("[data-testid=reconnect-banner]");
        await Assertions.Expect(banner).ToBeHiddenAsync();

        await Page.Context.SetOfflineAsync(true);
        IWebSocketRoute[] open;
        lock (sockets)
        {
            open = [.. sockets];
        }

        foreach (var socket in open)
        {
            await socket.CloseAsync(new() { Code = 4000, Reason = "test: network lost" });
        }

        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToContainTextAsync("Connection to BlazorOs lost");
        await ScreenshotAsync(43, "runs-connection-lost");

        // The run goes on while the browser is away: answer it over the API.
        await api.AnswerAsync(await api.OpenApprovalAsync(runId), "approve");
        await api.WaitForRunAsync(runId, r => r["run"]!["status"]!.GetValue<string>() == "Completed", "completed");

        await Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 45_000 });
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Completed");
        await ScreenshotAsync(44, "runs-reconnected-and-caught-up");
    }
}
