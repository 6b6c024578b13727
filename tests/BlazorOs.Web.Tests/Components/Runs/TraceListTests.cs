using BlazorOs.Core.Data;
using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Runs;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Runs;

/// <summary>
/// The run page's full trace. Invariants: a long trace is virtualised (only rows near the view are in the DOM), and
/// live events arrive on the page without gaps or duplicates even when the bus delivers one twice or one arrives
/// before events the page has not seen yet.
/// </summary>
public sealed class TraceListTests : StoreBunitContext
{
    public TraceListTests() => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_with_2000_events_renders_only_the_rows_in_view()
    {
        var run = await Seed.RunAsync(await Seed.PlaybookAsync("Bulk import"), TimeSpan.FromMinutes(3));
        await Get<TraceWriter>().WriteAsync(run.Id,
            [.. Enumerable.Range(1, 2000).Select(i => new TraceEntry("http.request", $"GET /items/{i}", "fetch", 1))], alongside: null, Cancel);
        Render<MudPopoverProvider>();

        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));

        var list = page.WaitForElement("[data-testid='trace-list']");
        Assert.Equal(("2000", "2000"), (list.GetAttribute("data-count"), list.GetAttribute("data-last")));
        var rows = page.FindAll(".bos-trace-row");
        // Before the browser measures the viewport Virtualize renders a default window; never the whole trace.
        Assert.InRange(rows.Count, 1, 200);
        Assert.Equal("1", rows[0].GetAttribute("data-seq"));
    }

    [Fact]
    public async Task Prerendered_the_trace_shows_its_first_rows_as_plain_html()
    {
        var run = await Seed.RunAsync(await Seed.PlaybookAsync("Bulk import"), TimeSpan.FromMinutes(3));
        await Get<TraceWriter>().WriteAsync(run.Id,
            [.. Enumerable.Range(1, 300).Select(i => new TraceEntry("http.request", $"GET /items/{i}", "fetch", 1))], alongside: null, Cancel);
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));

        page.WaitForAssertion(() => Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            page.FindAll(".bos-trace-row").Select(r => r.GetAttribute("data-seq"))));
    }

    [Fact]
    public async Task Live_events_fill_a_gap_from_the_store_and_a_repeated_event_shows_once()
    {
        var run = await Seed.RunAsync(await Seed.PlaybookAsync("Gaps"), TimeSpan.FromMinutes(1));
        await StoreAsync(run.Id, 1, 2);
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, run.Id));
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid='trace-list']").GetAttribute("data-last")));

        // 3 and 4 were committed but their publication never reached the page; 5 arrives, then 5 and 2 again.
        var stored = await StoreAsync(run.Id, 3, 4, 5);
        var bus = Get<ITraceBus>();
        await bus.PublishAsync(stored[^1]);
        await bus.PublishAsync(stored[^1]);
        await bus.PublishAsync(stored[0] with { Sequence = 2 });

        page.WaitForAssertion(() => Assert.Equal(("5", "5"),
            (page.Find("[data-testid='trace-list']").GetAttribute("data-count"), page.Find("[data-testid='trace-list']").GetAttribute("data-last"))));
        Assert.Equal(["1", "2", "3", "4", "5"], page.FindAll(".bos-trace-row").Select(r => r.GetAttribute("data-seq")));
    }

    /// <summary>Commits events with these sequence numbers without publishing them, as a crash between the two would.</summary>
    private async Task<List<TraceMessage>> StoreAsync(Guid runId, params long[] sequences)
    {
        await using var db = await Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Cancel);
        var events = sequences.Select(s => new TraceEvent(runId, s, "step.started", $"event {s}", DateTime.UtcNow, "a", 1)).ToList();
        db.TraceEvents.AddRange(events);
        await db.SaveChangesAsync(Cancel);
        return [.. events.Select(TraceMessage.From)];
    }
}
