using System.Diagnostics;
using System.Globalization;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>
/// Measures how fast the run page opens a run of about 2,000 trace events (400 HTTP steps, each calling the loopback
/// server) in Chromium and prints the figures; it asserts nothing about time, only that the whole trace arrived. Goal:
/// under 1 s to a usable page (virtualised trace list). Run alone with <c>-trait Category=Perf</c>.
/// </summary>
public sealed class RunPagePerfTests(BrowserFixture browser, RunsAppFixture app, ITestOutputHelper output)
    : RunPageTest(browser, app, output), IClassFixture<RunsAppFixture>
{
    private const int Steps = 400;

    [Fact]
    [Trait("Category", "Perf")]
    public async Task A_run_with_2000_trace_events_opens()
    {
        var playbook = await App.ImportAsync(RunPlaybooks.HttpChain(Steps, App.Model.BaseAddress));
        var seeding = Stopwatch.StartNew();
        var runId = await App.StartRunAsync(playbook, new { });
        await App.WaitForStatusAsync(runId, "Completed", TimeSpan.FromMinutes(5));
        Report(string.Create(CultureInfo.InvariantCulture, $"seeded: a run of {Steps} HTTP steps in {seeding.Elapsed.TotalSeconds:0.0} s"));
        await SignInAsync();
        // Records, from navigation start, when the first trace row and the step list were in the document (prerendered
        // HTML counts: that is what the operator sees first) and when the circuit made the page interactive.
        await Page.AddInitScriptAsync("""
            window.__marks = {};
            new MutationObserver(() => {
              const m = window.__marks;
              if (!m.traceRow && document.querySelector('.bos-trace-row')) m.traceRow = performance.now();
              if (!m.steps && document.querySelector('[data-testid=step]')) m.steps = performance.now();
              if (!m.interactive && document.getElementById('blazoros-ready')) m.interactive = performance.now();
            }).observe(document, { subtree: true, childList: true });
            """);

        // Baseline on the same machine at the same moment: the run page of a run that does not exist (no data at all).
        for (var round = 1; round <= 2; round++)
        {
            await Page.GotoAsync($"/runs/{Guid.NewGuid()}");
            await WaitForCircuitAsync();
            var marks = await Page.EvaluateAsync<Dictionary<string, double>>("() => window.__marks");
            Report(string.Create(CultureInfo.InvariantCulture, $"baseline #{round}: an empty run page is interactive {Mark(marks, "interactive")} ms after navigation start"));
        }

        string? count = null;
        for (var round = 1; round <= 3; round++)
        {
            var clock = Stopwatch.StartNew();
            await OpenRunAsync(runId);
            count = await TraceList.GetAttributeAsync("data-count");
            clock.Stop();
            var marks = await Page.EvaluateAsync<Dictionary<string, double>>("() => window.__marks");
            var canvasAt = await Canvas.GetAttributeAsync("data-ready-at");
            var rows = await Page.Locator(".bos-trace-row").CountAsync();
            var steps = await Page.Locator("[data-testid=step]").CountAsync();
            Report(string.Create(CultureInfo.InvariantCulture,
                $"open #{round}: first trace row {Mark(marks, "traceRow")} ms, steps list {Mark(marks, "steps")} ms, interactive " +
                $"{Mark(marks, "interactive")} ms, canvas drawn {canvasAt} ms after navigation start; " +
                $"test clock to canvas ready {clock.ElapsedMilliseconds} ms; {count} events, {rows} trace rows and {steps} steps in the DOM"));
        }

        Assert.True(int.Parse(count!, CultureInfo.InvariantCulture) >= 2000, $"Only {count} events.");
        await ScreenshotAsync(45, "run-page-2000-events");
    }

    private static string Mark(Dictionary<string, double> marks, string name) =>
        marks.TryGetValue(name, out var value) ? value.ToString("0", CultureInfo.InvariantCulture) : "?";

    private void Report(string line) => Output.WriteLine($"PERF {line}");
}
