using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Drafts;
using BlazorOs.Web.Components.Playbooks;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Playbooks;

/// <summary>The version list: newest first, each with what changed since the one before, and restore.</summary>
public sealed class VersionHistoryTests : StoreBunitContext
{
    [Fact]
    public async Task Versions_are_listed_newest_first_with_a_diff_summary_and_can_be_restored()
    {
        var service = Get<PlaybookService>();
        var created = await service.ImportAsync(ContractExample.Json, Xunit.TestContext.Current.CancellationToken);
        var draft = PlaybookDraft.Open(ContractExample.Json, Get<BlazorOs.Core.Activities.ActivityCatalog>());
        draft.Execute(new DeleteCommand(["dropped"], []));
        draft.Execute(new AddNodeCommand("end", 0, 0, After: "send"));
        await service.SaveVersionAsync(created.Id, draft.ToJson(), Xunit.TestContext.Current.CancellationToken);
        var playbook = await service.GetAsync(created.Id, Xunit.TestContext.Current.CancellationToken);
        int? restored = null;

        Render<MudPopoverProvider>();
        var list = Render<VersionHistory>(p => p
            .Add(c => c.Versions, VersionRow.Of(playbook!))
            .Add(c => c.Latest, 2)
            .Add(c => c.OnRestore, n => restored = n));

        var rows = list.FindAll("[data-testid=version-row]");
        Assert.Equal(["2", "1"], rows.Select(r => r.GetAttribute("data-version")));
        Assert.Contains("latest", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("+1 step (end) · −1 step (dropped) · +1/−1 edges", rows[0].QuerySelector(".bos-version-summary")!.TextContent.Trim());
        Assert.Equal("First version: 6 steps, 5 edges", rows[1].QuerySelector(".bos-version-summary")!.TextContent.Trim());

        list.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Restore version 1").Click();
        Assert.Equal(1, restored);
    }
}
