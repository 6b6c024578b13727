using System.Globalization;
using System.Text.Json.Nodes;
using BlazorOs.Core.Tests.Activities;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>
/// Measures step event → browser DOM on the Runs page's live status, with 1 and with 20 runs in parallel, and prints
/// p50/p95/p99 (goal: p95 under 100 ms); it asserts nothing about time. The latency of a step event is the time from the
/// event's timestamp (set by the engine before it commits the event) to the first DOM change, seen by a MutationObserver,
/// that shows that event or a later one of the same run (renders coalesce bursts). Both clocks are this machine's wall
/// clock (1 ms resolution). A second figure, bus → DOM, leaves out the store's commit (the event's own fsync and the
/// wait for SQLite's single writer).
/// Explicit, so the normal suite skips it: run it with
/// <c>dotnet test --project e2e/BlazorOs.E2E -c Release --no-build -- --filter-class "*LiveStatusPerfTests" --explicit only</c>
/// (scripts/benchmarks/live-status-latency.sh).
/// </summary>
public sealed class LiveStatusPerfTests(BrowserFixture browser, RunsAppFixture app, ITestOutputHelper output)
    : RunsTest(browser, app, output), IClassFixture<RunsAppFixture>
{
    private const int Steps = 10;

    [Fact(Explicit = true)]
    [Trait("Category", "Perf")]
    public async Task Step_events_reach_the_runs_page_DOM_with_1_and_with_20_runs_in_parallel()
    {
        await using var server = LoopbackServer.Start();
        // Each step is an HTTP call of about 50 ms, so a run's events come spread out as real work makes them.
        server.Respond = _ => new CannedResponse(200, """{"ok":true}""", After: Task.Delay(50));
        using var api = Api();
        var playbook = await api.ImportAsync(ChainPlaybook(server.BaseAddress));
        await SignInAndOpenAsync("/runs");
        await Page.EvaluateAsync("""
            () => {
              window.__seen = [];
              new MutationObserver((records) => {
                // The wall clock, as the server's timestamps are: performance.timeOrigin + now() drifts from it by milliseconds.
                const at = Date.now();
                for (const r of records) {
                  const el = r.target;
                  if (el.dataset && el.dataset.testid === 'run-live') window.__seen.push({ run: el.dataset.runId, seq: Number(el.dataset.seq), received: Number(el.dataset.receivedAt), at });
                }
              }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-seq'] });
            }
            """);

        // Two cores shared with other work: the load says how much of the machine the figures had.
        Output.WriteLine($"PERF load average before: {File.ReadAllText("/proc/loadavg").Trim()}");

        // Warm-up: the first run pays for JIT on the server.
        await RunAsync(api, playbook, 1);
        foreach (var parallel in new[] { 1, 20 })
        {
            await Page.EvaluateAsync("() => { window.__seen = []; }");
            var runs = await RunAsync(api, playbook, parallel);
            var (latencies, fromBus) = await LatenciesAsync(api, runs);
            Report($"step event → Runs page DOM, {parallel} run(s) in parallel, {latencies.Count} step events", latencies);
            Report($"  of which bus → DOM (after the store's commit), {fromBus.Count} DOM changes", fromBus);
        }

        Output.WriteLine($"PERF load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        await ScreenshotAsync(49, "runs-after-perf");
    }

    private static async Task<List<Guid>> RunAsync(Engine.EngineApiClient api, Guid playbook, int parallel)
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => api.StartRunAsync(playbook)));
        await Task.WhenAll(runs.Select(api.WaitForEndAsync));
        await Task.Delay(500, TestContext.Current.CancellationToken); // the last renders
        return [.. runs];
    }

    private void Report(string what, List<double> latencies) => Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"PERF {what}: p50 {Percentile(latencies, 50):0} ms, p95 {Percentile(latencies, 95):0} ms, p99 {Percentile(latencies, 99):0} ms, max {latencies.Max():0} ms"));

    /// <summary>Per step event: its timestamp → the first DOM change showing it; per DOM change: bus receipt → the change.</summary>
    private async Task<(List<double> Latencies, List<double> FromBus)> LatenciesAsync(Engine.EngineApiClient api, List<Guid> runs)
    {
        var seen = JsonNode.Parse(await Page.EvaluateAsync<string>("() => JSON.stringify(window.__seen)"))!.AsArray()
            .Select(s => (Run: Guid.Parse(s!["run"]!.GetValue<string>()), Seq: s["seq"]!.GetValue<long>(), At: s["at"]!.GetValue<double>(),
                Received: s["received"]!.GetValue<double>()))
            .Where(s => runs.Contains(s.Run))
            .ToList();
        var latencies = new List<double>();
        foreach (var run in runs)
        {
            foreach (var e in await api.TraceAsync(run))
            {
                if (!e!["kind"]!.GetValue<string>().StartsWith("step.", StringComparison.Ordinal))
                {
                    continue;
                }

                var sequence = e["sequence"]!.GetValue<long>();
                var at = DateTime.SpecifyKind(DateTime.Parse(e["at"]!.GetValue<string>(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc);
                var shown = seen.Where(s => s.Run == run && s.Seq >= sequence).Select(s => s.At).DefaultIfEmpty(double.NaN).Min();
                if (!double.IsNaN(shown))
                {
                    latencies.Add(shown - new DateTimeOffset(at).ToUnixTimeMilliseconds() - (at.Ticks % TimeSpan.TicksPerMillisecond / 10_000d));
                }
            }
        }

        return (latencies, [.. seen.Select(s => s.At - s.Received)]);
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100d * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>start → call1 … call10 (HTTP GETs to the loopback server) → done.</summary>
    private static string ChainPlaybook(Uri server)
    {
        var nodes = string.Join(",", Enumerable.Range(1, Steps).Select(i =>
            $$"""{ "id": "call{{i}}", "kind": "http", "settings": { "method": "GET", "url": "{{server}}step/{{i}}" } }"""));
        var edges = string.Join(",", Enumerable.Range(1, Steps).Select(i => $$"""{ "from": "{{(i == 1 ? "start" : $"call{i - 1}")}}", "to": "call{{i}}" }"""));
        return $$"""
            { "schema": "blazoros/playbook@1", "name": "Perf chain", "delegation": "delegated",
              "nodes": [ { "id": "start", "kind": "trigger.manual" }, {{nodes}}, { "id": "done", "kind": "end", "settings": { "outcome": "ok" } } ],
              "edges": [ {{edges}}, { "from": "call{{Steps}}", "to": "done" } ] }
            """;
    }
}
