using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Playbooks.Drafts;
using BlazorOs.Web.Components.Playbooks;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Playbooks;

/// <summary>The playbook panel: its fields, playbook-level problems, and the schedule of a schedule trigger.</summary>
public sealed class PlaybookPropertiesTests : StoreBunitContext
{
    [Fact]
    public void Shows_the_inputs_kpis_and_playbook_level_problems()
    {
        var state = ContractExample.State();

        var panel = Render(state, [new PlaybookProblem(null, "webhookSecret", "A playbook started by a webhook needs a webhookSecret.")]);

        Assert.Single(panel.FindAll("[data-testid=input-row]"));
        Assert.Single(panel.FindAll("[data-testid=kpi-row]"));
        Assert.Contains("needs a webhookSecret", panel.Find("[data-testid=playbook-problems]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_an_input_is_one_command_on_the_draft()
    {
        DraftCommand? sent = null;
        var panel = Render(ContractExample.State(), [], c => sent = c);

        panel.FindAll("button").Single(b => b.TextContent.Contains("Add input", StringComparison.Ordinal)).Click();

        var info = Assert.IsType<UpdateInfoCommand>(sent).Info;
        Assert.Equal(["lead_email", "input_1"], info.Inputs.Select(i => i.Name));
    }

    [Fact]
    public void A_schedule_trigger_shows_its_cron_and_the_next_start_times()
    {
        var state = ContractExample.State();
        var start = state.Node("start")! with { Kind = "trigger.schedule", Settings = new() { ["cron"] = "0 9 * * 1-5", ["timeZone"] = "UTC" } };
        state = state with { Nodes = state.Nodes.Replace(state.Node("start")!, start) };

        var panel = Render(state, []);

        Assert.NotNull(panel.Find("[data-setting=cron]"));
        Assert.Matches(@"Next: \w{3} \d{4}-\d{2}-\d{2} 09:00", panel.Find("[data-testid=next-runs]").TextContent);
    }

    private IRenderedComponent<PlaybookProperties> Render(DraftState state, IReadOnlyList<PlaybookProblem> problems, Action<DraftCommand>? onChange = null)
    {
        Render<MudPopoverProvider>();
        return Render<PlaybookProperties>(p => p
            .Add(c => c.State, state)
            .Add(c => c.PlaybookId, Guid.NewGuid())
            .Add(c => c.Problems, problems)
            .Add(c => c.OnChange, c => onChange?.Invoke(c)));
    }
}
