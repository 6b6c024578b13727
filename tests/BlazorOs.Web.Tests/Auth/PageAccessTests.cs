using System.Net;
using AngleSharp.Html.Parser;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Auth;

/// <summary>Every page needs the signed-in operator; without a session the browser goes to <c>/signin</c> and comes back after.</summary>
public sealed class PageAccessTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    public static TheoryData<string> Pages => ["/", "/goals", "/playbooks", "/runs", "/approvals", "/memory", "/policies", "/settings"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Without_a_session_a_page_redirects_to_signin_with_the_way_back(string page)
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.GetAsync(page);

        Assert.Equal($"/signin?ReturnUrl={Uri.EscapeDataString(page)}", Redirects.Target(response));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Signed_in_every_page_answers_with_its_html(string page)
    {
        using var browser = app.CreateBrowser();
        using (var signIn = await browser.SignInAsync(BlazorOsAppFactory.Password))
        {
            Assert.Equal("/", Redirects.Target(signIn));
        }

        using var response = await browser.GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.NotNull(html.QuerySelector("h1"));
        Assert.Equal(8, html.QuerySelectorAll("nav a.mud-nav-link").Length);
    }

    [Fact]
    public async Task After_sign_in_the_operator_lands_on_the_page_asked_for()
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.SignInAsync(BlazorOsAppFactory.Password, returnUrl: "/runs?status=Failed");

        Assert.Equal("/runs?status=Failed", Redirects.Target(response));
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task A_return_url_off_the_site_is_ignored(string returnUrl)
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.SignInAsync(BlazorOsAppFactory.Password, returnUrl);

        Assert.Equal("/", Redirects.Target(response));
    }

    [Fact]
    public async Task An_unknown_address_shows_the_not_found_page()
    {
        using var browser = app.CreateBrowser();
        using (var signIn = await browser.SignInAsync(BlazorOsAppFactory.Password))
        {
            Assert.Equal("/", Redirects.Target(signIn));
        }

        using var response = await browser.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
