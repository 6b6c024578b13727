using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Playbooks.Drafts;
using BlazorOs.Web.Components.Playbooks;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Playbooks;

/// <summary>
/// The properties panel is generated from the catalog: one editor per setting of every kind, retry and timeout for
/// steps that run something, the validator's messages under their fields, and every edit as one command.
/// </summary>
public sealed class NodePropertiesTests : StoreBunitContext
{
    public static TheoryData<string> Kinds => [.. new ActivityCatalogKinds()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_gets_an_editor_for_each_of_its_settings(string kind)
    {
        var descriptor = Get<ActivityCatalog>().Get(kind).Descriptor;
        var state = ContractExample.State();
        var node = new DraftNode("step", kind, descriptor.DisplayName, 0, 0, []);

        var panel = Render(state with { Nodes = state.Nodes.Add(node) }, node);

        Assert.Equal(descriptor.Settings.Select(s => s.Name), panel.FindAll("[data-setting]").Select(e => e.GetAttribute("data-setting")));
        var runs = descriptor.Category is not (ActivityCategory.Trigger or ActivityCategory.End);
        Assert.Equal(runs, panel.Markup.Contains("When it fails", StringComparison.Ordinal));
        Assert.Contains(descriptor.DisplayName, panel.Find("[data-testid=node-properties]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_agent_form_offers_the_model_tier_and_the_tool_allow_list()
    {
        var state = ContractExample.State();

        var panel = Render(state, state.Node("draft")!);

        Assert.Equal("task", panel.Find("[data-setting=tier] input").GetAttribute("value"));
        var tools = panel.FindAll("[data-setting=tools] input[type=checkbox]");
        Assert.Equal([true, false], tools.Select(t => t.HasAttribute("checked")));
        Assert.Equal(["memory.search", "http.get"], panel.FindAll("[data-setting=tools] label").Select(l => l.TextContent.Trim()));
        Assert.Contains(panel.FindAll("input"), input => input.GetAttribute("value") == "60000");
    }

    [Fact]
    public void Validation_messages_show_under_the_fields_they_concern()
    {
        var state = ContractExample.State();
        var problems = new List<PlaybookProblem>
        {
            new("draft", "settings.prompt", "A value is required."),
            new("draft", "edges", "Not reachable from the trigger 'start': connect it or remove it."),
            new("review", "settings.question", "Not this step's problem."),
        };

        var panel = Render(state, state.Node("draft")!, problems);

        Assert.Contains("A value is required.", panel.Find("[data-setting=prompt]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Not reachable", panel.Find("[data-testid=node-problems]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Not this step's problem.", panel.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_shows_its_hint_and_a_preview_over_placeholder_values()
    {
        var state = ContractExample.State();

        var panel = Render(state, state.Node("draft")!);

        var prompt = panel.Find("[data-setting=prompt]");
        Assert.Contains("{{ inputs.lead_email }}", prompt.TextContent, StringComparison.Ordinal);
        Assert.Equal("PreviewWrite a short follow-up to ‹lead_email›.", prompt.QuerySelector("[data-testid=template-preview]")!.TextContent.Trim());
    }

    [Fact]
    public void Editing_a_setting_sends_one_update_with_the_new_value()
    {
        var state = ContractExample.State();
        UpdateNodeCommand? sent = null;

        var panel = Render(state, state.Node("review")!, onChange: c => sent = c);
        panel.Find("[data-setting=question] textarea").Change("Send it now?");

        Assert.NotNull(sent);
        Assert.Equal(("review", "review"), (sent.Id, sent.NewId));
        Assert.Equal("Send it now?", sent.Settings["question"]!.GetValue<string>());
        Assert.Equal(1440, sent.Settings["timeoutMinutes"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("memory.write", "durable (default)", "working: a note for this run's later steps")]
    [InlineData("memory.read", "all (default)", "all: this run's working notes first")]
    public void The_memory_tier_is_a_choice_with_its_default_and_help(string kind, string placeholder, string help)
    {
        var state = ContractExample.State();
        var node = new DraftNode("memory", kind, null, 0, 0, []);

        var tier = Render(state with { Nodes = state.Nodes.Add(node) }, node).Find("[data-setting=tier]");

        Assert.NotNull(tier.QuerySelector(".mud-select"));
        Assert.Contains(placeholder, tier.InnerHtml, StringComparison.Ordinal);
        Assert.Contains(help, tier.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("working", true)]
    [InlineData("durable", false)]
    public void A_working_note_shows_its_scope_and_confidence_disabled_as_not_used(string chosen, bool ignored)
    {
        var state = ContractExample.State();
        var node = new DraftNode("remember", "memory.write", null, 0, 0, new JsonObject { ["tier"] = chosen, ["scope"] = "clients" });

        var panel = Render(state with { Nodes = state.Nodes.Add(node) }, node);

        Assert.Equal(chosen, panel.Find("[data-setting=tier] input").GetAttribute("value"));
        foreach (var (name, reason, help) in new[]
            {
                ("scope", "Not used by a working note: it stays in this run.", "Privacy scope"),
                ("confidence", "Not used by a working note.", "How sure"),
            })
        {
            var field = panel.Find($"[data-setting={name}]");
            Assert.Equal(ignored ? "true" : null, field.GetAttribute("data-ignored"));
            Assert.Equal(ignored, field.QuerySelector("input")!.HasAttribute("disabled"));
            Assert.Contains(ignored ? reason : help, field.TextContent, StringComparison.Ordinal);
        }

        Assert.Null(panel.Find("[data-setting=subject]").GetAttribute("data-ignored"));
    }

    [Fact]
    public void Without_a_selection_it_says_what_to_do()
    {
        Render<MudPopoverProvider>();
        var panel = Render<NodeProperties>(p => p.Add(c => c.State, ContractExample.State()).Add(c => c.SelectedCount, 2));

        Assert.Contains("2 steps are selected", panel.Find("[data-testid=node-properties-empty]").TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<NodeProperties> Render(DraftState state, DraftNode node, IReadOnlyList<PlaybookProblem>? problems = null,
        Action<UpdateNodeCommand>? onChange = null)
    {
        Render<MudPopoverProvider>();
        return Render<NodeProperties>(p => p
            .Add(c => c.State, state)
            .Add(c => c.Node, node)
            .Add(c => c.SelectedCount, 1)
            .Add(c => c.Problems, problems ?? [])
            .Add(c => c.OnChange, c => onChange?.Invoke(c)));
    }

    /// <summary>Every kind the app registers.</summary>
    private sealed class ActivityCatalogKinds : List<string>
    {
        public ActivityCatalogKinds()
        {
            using var services = new ServiceCollection().AddLogging().AddBlazorOsActivities().BuildServiceProvider();
            AddRange(services.GetRequiredService<ActivityCatalog>().Descriptors.Select(d => d.Kind));
        }
    }
}
