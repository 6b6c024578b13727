using System.Text.Json.Nodes;
using AngleSharp.Dom;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Tests.Support;
using BlazorOs.Web.Components.Runs;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Runs;

/// <summary>
/// The run page over the real engine: a lead is scored by an agent (a real Semantic Kernel call to the OpenAI-compatible
/// server on 127.0.0.1, with a memory tool call and a structured answer carrying its rationale), a condition branches on
/// the score, the operator approves, an HTTP step notifies a CRM page on the same server, and the run ends. Invariant:
/// what the page shows is what the engine recorded, and it arrives while the page is open, without reloading.
/// </summary>
public sealed class RunPageTests : StoreBunitContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly OpenAiCompatibleServer _model = OpenAiCompatibleServer.StartAsync().GetAwaiter().GetResult();

    public RunPageTests()
    {
        // Registered after the context's "no model": the last registration wins.
        Services.AddSingleton(new ModelEndpoint(_model.BaseUrl, "sk-test", "task-model", null));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        _model.Page("/crm", "noted");
    }

    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    private string Playbook => """
        { "schema": "blazoros/playbook@1", "name": "Lead scoring", "delegation": "delegated",
          "inputs": [{ "name": "lead", "type": "string", "required": true }],
          "nodes": [
            { "id": "start", "kind": "trigger.manual" },
            { "id": "score", "kind": "agent", "label": "Score the lead",
              "settings": { "prompt": "Score {{ inputs.lead }} from 0 to 100 and say why.", "system": "You qualify leads.", "tier": "task",
                "tools": ["memory.search"],
                "outputSchema": { "type": "object", "properties": { "score": { "type": "number" }, "rationale": { "type": "string" } },
                                  "required": ["score", "rationale"] } } },
            { "id": "hot", "kind": "condition", "settings": { "expression": "steps.score.output.score > 50" } },
            { "id": "review", "kind": "approval", "label": "Send the offer?",
              "settings": { "question": "Send the offer to the lead?", "show": "{{ steps.score.output.rationale }}" } },
            { "id": "notify", "kind": "http", "settings": { "method": "GET", "url": "CRM_URL" } },
            { "id": "sent", "kind": "end", "settings": { "outcome": "offer sent" } },
            { "id": "cold", "kind": "end", "settings": { "outcome": "cold" } },
            { "id": "dropped", "kind": "end", "settings": { "outcome": "dropped" } }
          ],
          "edges": [
            { "from": "start", "to": "score" },
            { "from": "score", "to": "hot" },
            { "from": "hot", "port": "true", "to": "review" },
            { "from": "hot", "port": "false", "to": "cold" },
            { "from": "review", "port": "approved", "to": "notify" },
            { "from": "review", "port": "rejected", "to": "dropped" },
            { "from": "notify", "to": "sent" }
          ] }
        """.Replace("CRM_URL", _model.UrlOf("crm").ToString(), StringComparison.Ordinal);

    [Fact]
    public async Task The_timeline_fills_live_while_the_page_is_open_and_the_canvas_turns_green_at_the_end()
    {
        var runId = await StartScoredRunAsync();
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForAssertion(() => Assert.Equal("waiting", StatusOf(page, "review")), Patience);
        Assert.Equal(["done", "done", "done", "waiting"], page.FindAll("[data-testid='step']").Select(s => s.GetAttribute("data-status")));
        Assert.Contains("Send the offer to the lead?", page.Find("[data-testid='run-waiting']").TextContent, StringComparison.Ordinal);

        await ApproveOpenAsync(runId);

        page.WaitForAssertion(() => Assert.Equal("Completed", page.Find("[data-testid='run-status']").TextContent.Trim()), Patience);
        page.WaitForAssertion(() => Assert.Equal(["start", "score", "hot", "review", "notify", "sent"],
            page.FindAll("[data-testid='step']").Select(s => s.GetAttribute("data-node"))), Patience);
        Assert.All(page.FindAll("[data-testid='step']"), s => Assert.Equal("done", s.GetAttribute("data-status")));
        // Every event the store holds, each once, in order: the count equals the last sequence number.
        var stored = await TraceCountAsync(runId);
        page.WaitForAssertion(() => Assert.Equal((stored.ToString(), stored.ToString()),
            (page.Find("[data-testid='trace-list']").GetAttribute("data-count"), page.Find("[data-testid='trace-list']").GetAttribute("data-last"))));
        Assert.Contains("offer sent", page.Find("[data-testid='run-summary']").TextContent, StringComparison.Ordinal);
        // The canvas overlay got every step's final status.
        page.WaitForAssertion(() =>
        {
            var statuses = JSInterop.Invocations.Where(i => i.Identifier == "setStatus").Select(i => i.Arguments[0])
                .OfType<IReadOnlyDictionary<string, string>>().Last();
            Assert.Equal(6, statuses.Count);
            Assert.All(statuses.Values, status => Assert.Equal("done", status));
        });
    }

    [Fact]
    public async Task An_agent_step_opens_to_its_rendered_prompt_tool_call_reply_output_and_its_rationale()
    {
        var runId = await StartScoredRunAsync();
        await WaitForRunAsync(runId, RunStatus.Suspended);
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));

        var score = OpenStep(page, "score");

        Assert.Contains("Score the lead (score)", score.TextContent, StringComparison.Ordinal);
        Assert.Contains("52 / 23 tok", score.TextContent, StringComparison.Ordinal);
        Assert.Equal("Score Ada Lovelace from 0 to 100 and say why.", score.QuerySelector("[data-testid='step-prompt']")?.TextContent);
        Assert.Equal("You qualify leads.", score.QuerySelector("[data-testid='step-system']")?.TextContent);
        var tool = score.QuerySelector("[data-testid='step-tool']")!.TextContent;
        Assert.Contains("memory.search", tool, StringComparison.Ordinal);
        Assert.Contains("Ada", tool, StringComparison.Ordinal);
        Assert.Contains("Asked for pricing twice", score.QuerySelector("[data-testid='step-reply']")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("\"score\": 80", score.QuerySelector("[data-testid='step-output']")?.TextContent, StringComparison.Ordinal);
        var why = Assert.Single(score.QuerySelectorAll("[data-testid='why-card']"));
        Assert.Equal("rationale", why.GetAttribute("data-kind"));
        Assert.Contains("Asked for pricing twice this week.", why.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Why_cards_show_the_condition_with_the_values_it_saw_the_policy_reason_and_the_operators_answer()
    {
        var runId = await StartScoredRunAsync();
        await ApproveOpenAsync(runId);
        await WaitForRunAsync(runId, RunStatus.Completed);
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));

        var hot = OpenStep(page, "hot");
        var condition = Assert.Single(hot.QuerySelectorAll("[data-testid='why-card']"));
        Assert.Equal("condition", condition.GetAttribute("data-kind"));
        Assert.Contains("Took 'true'", condition.TextContent, StringComparison.Ordinal);
        Assert.Equal([("Expression", "steps.score.output.score > 50"), ("steps.score.output.score", "80")], Facts(condition));
        Assert.Equal("Took 'true'", page.Find("[data-node='hot'] [data-testid='step-why']").TextContent);

        var notify = OpenStep(page, "notify");
        var policy = Assert.Single(notify.QuerySelectorAll("[data-testid='why-card']"));
        Assert.Equal("policy", policy.GetAttribute("data-kind"));
        Assert.Contains("Policy: allowed", policy.TextContent, StringComparison.Ordinal);

        var review = OpenStep(page, "review");
        var answer = Assert.Single(review.QuerySelectorAll("[data-testid='why-card']"));
        Assert.Equal("answer", answer.GetAttribute("data-kind"));
        Assert.Contains("tester chose approve", answer.TextContent, StringComparison.Ordinal);
        Assert.Contains("Send the offer to the lead?", review.QuerySelector("[data-testid='step-input']")?.TextContent, StringComparison.Ordinal);

        // Inputs: the trigger passed on the run's inputs; the HTTP step sent this request.
        Assert.Contains("\"lead\": \"Ada Lovelace\"", OpenStep(page, "start").QuerySelector("[data-testid='step-input']")?.TextContent,
            StringComparison.Ordinal);
        Assert.Contains(_model.UrlOf("crm").ToString(), notify.QuerySelector("[data-testid='step-input']")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_run_offers_re_run_and_the_trace_export_instead_of_cancel()
    {
        var runId = await StartScoredRunAsync();
        await WaitForRunAsync(runId, RunStatus.Suspended);
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));
        page.WaitForElement("[data-testid='cancel-run']").Click();

        page.WaitForAssertion(() => Assert.Equal("Cancelled", page.Find("[data-testid='run-status']").TextContent.Trim()), Patience);
        Assert.Empty(page.FindAll("[data-testid='cancel-run']"));
        Assert.Single(page.FindAll("[data-testid='rerun']"));
        var export = page.Find("a[data-testid='export-trace']");
        Assert.Equal($"/api/runs/{runId}/trace", export.GetAttribute("href"));
        Assert.Equal($"run-{runId}-trace.json", export.GetAttribute("download"));
    }

    [Fact]
    public async Task A_failed_run_is_retried_from_its_failed_step_with_the_retry_button()
    {
        _model.Page("/orders", "down", status: 503);
        var playbook = await Get<PlaybookService>().ImportAsync($$"""
            { "schema": "blazoros/playbook@1", "name": "Fetch orders", "delegation": "delegated",
              "nodes": [
                { "id": "start", "kind": "trigger.manual" },
                { "id": "fetch", "kind": "http", "settings": { "method": "GET", "url": "{{_model.UrlOf("orders")}}" } },
                { "id": "done", "kind": "end", "settings": { "outcome": "fetched" } }
              ],
              "edges": [{ "from": "start", "to": "fetch" }, { "from": "fetch", "to": "done" }] }
            """, Cancel);
        var runId = await Get<IPlaybookEngine>().StartAsync(new StartRun(playbook.Id, [], RunTrigger.Manual), Cancel);
        await WaitForRunAsync(runId, RunStatus.Suspended);
        await using (var db = await Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Cancel))
        {
            var escalation = await db.Approvals.SingleAsync(a => a.RunId == runId && a.Kind == ApprovalKind.Escalation, Cancel);
            await Get<IPlaybookEngine>().AnswerAsync(escalation.Id, ApprovalDecision.Fail, null, "tester", Cancel);
        }

        await WaitForRunAsync(runId, RunStatus.Failed);
        Render<MudPopoverProvider>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));
        var retry = page.WaitForElement("[data-testid='retry-run']");
        Assert.Contains("Retry from fetch", retry.TextContent, StringComparison.Ordinal);
        Assert.Equal("failed", StatusOf(page, "fetch"));
        Assert.Contains("answered 503", page.Find("[data-node='fetch'] [data-testid='step-why']").TextContent, StringComparison.Ordinal);

        _model.Page("/orders", """{"orders":[]}""", "application/json");
        retry.Click();

        page.WaitForAssertion(() => Assert.Equal("Completed", page.Find("[data-testid='run-status']").TextContent.Trim()), Patience);
        page.WaitForAssertion(() => Assert.Equal([("start", "done", "1 attempt"), ("fetch", "done", "2 attempts"), ("done", "done", "1 attempt")],
            page.FindAll("[data-testid='step']").Select(s => (s.GetAttribute("data-node"), s.GetAttribute("data-status"),
                s.QuerySelector("[title='Attempts']")?.TextContent))));
    }

    /// <summary>Starts a run whose agent searches memory, then scores the lead 80 with its rationale.</summary>
    private async Task<Guid> StartScoredRunAsync()
    {
        _model.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"Ada"}""", promptTokens: 30, completionTokens: 8),
            ScriptedReply.Text("""{"score": 80, "rationale": "Asked for pricing twice this week."}""", promptTokens: 22, completionTokens: 15));
        var playbook = await Get<PlaybookService>().ImportAsync(Playbook, Cancel);
        return await Get<IPlaybookEngine>().StartAsync(new StartRun(playbook.Id, new JsonObject { ["lead"] = "Ada Lovelace" }, RunTrigger.Manual), Cancel);
    }

    private async Task<long> TraceCountAsync(Guid runId)
    {
        await using var db = await Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Cancel);
        return await db.TraceEvents.CountAsync(e => e.RunId == runId, Cancel);
    }

    private static string? StatusOf(IRenderedComponent<RunPage> page, string node) =>
        page.FindAll($"[data-testid='step'][data-node='{node}']").LastOrDefault()?.GetAttribute("data-status");

    private static IElement OpenStep(IRenderedComponent<RunPage> page, string node)
    {
        var selector = $"[data-testid='step'][data-node='{node}']";
        page.WaitForElement($"{selector} .bos-step-head", Patience).Click();
        page.WaitForElement($"{selector} [data-testid='step-detail']");
        return page.Find(selector);
    }

    private static List<(string, string)> Facts(IElement card) =>
        [.. card.QuerySelectorAll("dt").Zip(card.QuerySelectorAll("dd"), (dt, dd) => (dt.TextContent, dd.TextContent))];

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _model.DisposeAsync();
    }
}
