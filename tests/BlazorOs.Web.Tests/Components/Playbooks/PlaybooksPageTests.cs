using BlazorOs.Core.Playbooks;
using BlazorOs.Web.Components.Playbooks;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Playbooks;

/// <summary>The gallery lists playbooks with links to the designer and refuses to delete one with runs.</summary>
public sealed class PlaybooksPageTests : StoreBunitContext
{
    [Fact]
    public async Task Lists_playbooks_with_their_runs_and_links_to_the_designer()
    {
        var version = await Seed.PlaybookAsync("Invoice follow-up");
        await Seed.RunAsync(version, TimeSpan.FromHours(1));
        await Get<PlaybookService>().ImportAsync(ContractExample.Json, Xunit.TestContext.Current.CancellationToken);

        Render<MudPopoverProvider>();
        var page = Render<PlaybooksPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        var first = page.FindAll("tbody tr")[0];
        Assert.Equal($"/playbooks/{version.PlaybookId}", first.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("1", first.QuerySelectorAll("td")[3].TextContent.Trim());
        Assert.Equal("0", page.FindAll("tbody tr")[1].QuerySelectorAll("td")[3].TextContent.Trim());
    }

    [Fact]
    public async Task Delete_is_refused_by_the_service_while_runs_exist()
    {
        var version = await Seed.PlaybookAsync("Invoice follow-up");
        await Seed.RunAsync(version, TimeSpan.FromHours(1));
        var unused = await Get<PlaybookService>().ImportAsync(ContractExample.Json, Xunit.TestContext.Current.CancellationToken);

        var refused = await Get<PlaybookService>().DeleteAsync(version.PlaybookId, Xunit.TestContext.Current.CancellationToken);
        var deleted = await Get<PlaybookService>().DeleteAsync(unused.Id, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(new PlaybookDeletion(false, 1), refused);
        Assert.Equal(new PlaybookDeletion(true, 0), deleted);
        Assert.Null(await Get<PlaybookService>().GetAsync(unused.Id, Xunit.TestContext.Current.CancellationToken));
    }
}
