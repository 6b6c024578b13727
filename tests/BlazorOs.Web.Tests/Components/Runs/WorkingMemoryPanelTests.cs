using System.Globalization;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks;
using BlazorOs.Web.Components.Runs;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Runs;

/// <summary>
/// The run page's working-memory panel over the real engine: a run notes a draft's status, waits for the operator, then
/// overwrites the note and adds another. Invariants: the panel shows the latest value of each note, the step that wrote it
/// and the values it replaced; it follows the run live while the page is open; once the run ended it says the notes were
/// discarded; a run that wrote no notes shows no panel.
/// </summary>
public sealed class WorkingMemoryPanelTests : StoreBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private const string Playbook = """
        { "schema": "blazoros/playbook@1", "name": "Draft follow-up", "delegation": "delegated",
          "inputs": [{ "name": "client", "type": "string", "required": true }],
          "nodes": [
            { "id": "start", "kind": "trigger.manual" },
            { "id": "first", "kind": "memory.write",
              "settings": { "tier": "working", "subject": "{{ inputs.client }}", "predicate": "draft-status", "value": "first draft" } },
            { "id": "review", "kind": "approval", "settings": { "question": "Send the second draft?" } },
            { "id": "second", "kind": "memory.write",
              "settings": { "tier": "working", "subject": "{{ inputs.client }}", "predicate": "draft-status", "value": "second draft sent" } },
            { "id": "owner", "kind": "memory.write",
              "settings": { "tier": "working", "subject": "{{ inputs.client }}", "predicate": "owner", "value": "Dana" } },
            { "id": "done", "kind": "end", "settings": { "outcome": "sent" } }
          ],
          "edges": [
            { "from": "start", "to": "first" }, { "from": "first", "to": "review" },
            { "from": "review", "port": "approved", "to": "second" }, { "from": "second", "to": "owner" }, { "from": "owner", "to": "done" }
          ] }
        """;

    public WorkingMemoryPanelTests() => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_panel_follows_the_runs_notes_live_and_says_they_were_discarded_when_the_run_ends()
    {
        var playbook = await Get<PlaybookService>().ImportAsync(Playbook, Cancel);
        var runId = await Get<IPlaybookEngine>().StartAsync(new StartRun(playbook.Id, new JsonObject { ["client"] = "Acme" }, RunTrigger.Manual), Cancel);
        await WaitForRunAsync(runId, RunStatus.Suspended);
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));

        var panel = page.WaitForElement("[data-testid='working-memory']", Patience);
        Assert.Equal("false", panel.GetAttribute("data-ended"));
        Assert.Equal([("Acme", "draft-status", "first draft", "first")], Notes(page));
        Assert.Empty(page.FindAll("[data-testid='note-earlier-toggle']"));
        Assert.Empty(page.FindAll("[data-testid='working-memory-discarded']"));
        Assert.Equal("Noted for this run: Acme draft-status = first draft", page.Find("[data-node='first'] [data-testid='step-why']").TextContent);

        await ApproveOpenAsync(runId);

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid='working-memory']").GetAttribute("data-ended")), Patience);
        Assert.Equal([("Acme", "draft-status", "second draft sent", "second"), ("Acme", "owner", "Dana", "owner")], Notes(page));
        Assert.Contains("Discarded when the run ended", page.Find("[data-testid='working-memory-discarded']").TextContent, StringComparison.Ordinal);
        Assert.Equal("1 earlier value", page.Find("[data-testid='note-earlier-toggle']").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='note-earlier']"));
        // Every event in: a render between finding the toggle and clicking it would leave the click on a stale element.
        var stored = await TraceCountAsync(runId);
        page.WaitForAssertion(() => Assert.Equal(stored.ToString(CultureInfo.InvariantCulture),
            page.Find("[data-testid='trace-list']").GetAttribute("data-count")), Patience);

        page.Find("[data-testid='note-earlier-toggle']").Click();

        var earlier = page.WaitForElement("[data-testid='note-earlier']");
        Assert.Single(page.FindAll("[data-testid='note-earlier']"));
        Assert.Contains("first draft", earlier.TextContent, StringComparison.Ordinal);
        Assert.Contains("first", earlier.QuerySelector("a")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("[data-testid='note-earlier-toggle']").GetAttribute("aria-expanded"));
        // The trace marks the notes apart from other events.
        Assert.Equal(3, page.FindAll(".bos-trace-row.bos-trace-working").Count);
    }

    [Fact]
    public async Task Clicking_the_step_that_wrote_a_note_opens_it_in_the_timeline()
    {
        var playbook = await Get<PlaybookService>().ImportAsync(Playbook, Cancel);
        var runId = await Get<IPlaybookEngine>().StartAsync(new StartRun(playbook.Id, new JsonObject { ["client"] = "Globex" }, RunTrigger.Manual), Cancel);
        await WaitForRunAsync(runId, RunStatus.Suspended);
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForElement("[data-testid='working-note'] a", Patience).Click();

        var notes = page.WaitForElement("[data-node='first'] [data-testid='step-notes']");
        Assert.Contains("Globex draft-status = first draft", notes.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_wrote_no_notes_shows_no_panel()
    {
        var playbook = await Get<PlaybookService>().ImportAsync("""
            { "schema": "blazoros/playbook@1", "name": "Remember for good", "delegation": "delegated",
              "nodes": [
                { "id": "start", "kind": "trigger.manual" },
                { "id": "keep", "kind": "memory.write", "settings": { "subject": "Acme", "predicate": "owner", "value": "Dana" } },
                { "id": "done", "kind": "end", "settings": { "outcome": "kept" } }
              ],
              "edges": [{ "from": "start", "to": "keep" }, { "from": "keep", "to": "done" }] }
            """, Cancel);
        var runId = await Get<IPlaybookEngine>().StartAsync(new StartRun(playbook.Id, [], RunTrigger.Manual), Cancel);
        await WaitForRunAsync(runId, RunStatus.Completed);
        Render<MudPopoverProvider>();

        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForElement("[data-testid='trace-list']", Patience);
        Assert.Empty(page.FindAll("[data-testid='working-memory']"));
        Assert.Single(page.FindAll(".bos-trace-row.bos-trace-memory[data-kind='memory.write']"));
    }

    private async Task<long> TraceCountAsync(Guid runId)
    {
        Assert.True(await Get<IPlaybookEngine>().WaitForIdleAsync(runId, Patience));
        await using var db = await Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Cancel);
        return await db.TraceEvents.CountAsync(e => e.RunId == runId, Cancel);
    }

    private static List<(string?, string?, string, string)> Notes(IRenderedComponent<RunPage> page) =>
        [.. page.FindAll("[data-testid='working-note']").Select(n => (n.GetAttribute("data-subject"), n.GetAttribute("data-predicate"),
            n.QuerySelector("[data-testid='note-value']")!.TextContent, n.QuerySelector("a")!.TextContent))];
}
