using BlazorOs.Web.Components.Layout;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BlazorOs.Web.Tests.Components.Layout;

/// <summary>The shell around every page: navigation to each area, the open-approvals count from the store, sign-out.</summary>
public sealed class ShellTests : StoreBunitContext
{
    private static readonly (string Label, string Href)[] Areas =
    [
        ("Dashboard", "/"), ("Goals", "/goals"), ("Playbooks", "/playbooks"), ("Runs", "/runs"),
        ("Approvals", "/approvals"), ("Memory", "/memory"), ("Policies", "/policies"), ("Settings", "/settings"),
    ];

    [Fact]
    public void The_shell_links_every_area_and_shows_the_page_inside_it()
    {
        var shell = RenderShell();

        var links = shell.FindAll("nav a.mud-nav-link")
            .Select(a => (Label: a.QuerySelector(".mud-nav-link-text")!.TextContent.Trim().Split('\n')[0].Trim(), Href: a.GetAttribute("href")!))
            .ToArray();
        Assert.Equal(Areas, links);
        Assert.Equal("page body", shell.Find(".mud-main-content").TextContent.Trim());
    }

    [Fact]
    public async Task The_approvals_link_counts_the_open_approvals_in_the_store()
    {
        var version = await Seed.PlaybookAsync("Invoice follow-up");
        var run = await Seed.RunAsync(version, TimeSpan.FromHours(1));
        await Seed.ApprovalAsync(run, "Send the reminder to Acme?");
        await Seed.ApprovalAsync(run, "Send the reminder to Globex?");
        await Seed.ApprovalAsync(run, "Already answered", answered: true);

        var shell = RenderShell();

        var badge = shell.WaitForElement("a[href='/approvals'] [aria-label='Open approvals']");
        Assert.Equal("2", badge.TextContent.Trim());
    }

    [Fact]
    public async Task The_badge_follows_questions_opened_and_answered_while_the_page_stays_open()
    {
        var shell = RenderShell();
        Assert.Empty(shell.FindAll("[data-testid=inbox-badge]"));
        var runs = new Approvals.InboxRuns(Services);

        var (_, first) = await runs.StartReviewAsync("one");
        await runs.StartReviewAsync("two");
        shell.WaitForAssertion(() => Assert.Equal("2", shell.Find("[data-testid=inbox-badge]").TextContent.Trim()));

        await Get<BlazorOs.Core.Execution.Engine.IPlaybookEngine>().AnswerAsync(first, BlazorOs.Core.Execution.ApprovalDecision.Reject, null,
            "operator", Xunit.TestContext.Current.CancellationToken);
        shell.WaitForAssertion(() => Assert.Equal("1", shell.Find("[data-testid=inbox-badge]").TextContent.Trim()));
    }

    [Fact]
    public async Task No_badge_shows_when_nothing_is_open()
    {
        var version = await Seed.PlaybookAsync("Invoice follow-up");
        var run = await Seed.RunAsync(version, TimeSpan.FromHours(1));
        await Seed.ApprovalAsync(run, "Already answered", answered: true);

        var shell = RenderShell();

        Assert.Contains("Approvals", shell.Find("a[href='/approvals']").TextContent, StringComparison.Ordinal);
        Assert.Empty(shell.FindAll("[aria-label='Open approvals']"));
    }

    [Fact]
    public void Sign_out_is_a_form_post_with_an_antiforgery_token()
    {
        var shell = RenderShell();

        var form = shell.Find("form[action='account/signout']");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("test-token", form.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value"));
        Assert.NotNull(form.QuerySelector("button[type='submit'][aria-label='Sign out']"));
    }

    private IRenderedComponent<MainLayout> RenderShell() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));
}
