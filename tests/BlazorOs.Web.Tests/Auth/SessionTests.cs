using System.Net;
using AngleSharp.Html.Parser;
using BlazorOs.Web.Auth;
using BlazorOs.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Web.Tests.Auth;

/// <summary>A session ends when the operator signs out, and every session ends when the password changes.</summary>
public sealed class SessionTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    private const string NewPassword = "a brand new password";

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = await SignedInAsync(app);
        var token = await SignOutTokenAsync(browser);

        using var signOut = await browser.PostFormAsync("/account/signout", token);

        Assert.Equal("/signin?signedOut=1", Redirects.Target(signOut));
        Assert.Equal(string.Empty, OperatorBrowser.SetCookie(signOut, AuthServiceCollectionExtensions.CookieName));
        using var runs = await browser.GetAsync("/runs");
        Assert.Equal("/signin?ReturnUrl=%2Fruns", Redirects.Target(runs));
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused()
    {
        using var browser = await SignedInAsync(app);

        using var signOut = await browser.PostFormAsync("/account/signout", token: null);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        using var runs = await browser.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
    }

    [Fact]
    public async Task A_changed_password_ends_every_existing_session()
    {
        // An app of its own: the other tests here sign in with the original password.
        await using var ownApp = new BlazorOsAppFactory();
        using var browser = await SignedInAsync(ownApp);

        Assert.True(await ownApp.Services.GetRequiredService<OperatorAccount>()
            .ChangeAsync(BlazorOsAppFactory.Password, NewPassword, TestContext.Current.CancellationToken));

        using var runs = await browser.GetAsync("/runs");
        Assert.Equal("/signin?ReturnUrl=%2Fruns", Redirects.Target(runs));
        using var old = await browser.SignInAsync(BlazorOsAppFactory.Password);
        Assert.Equal("/signin?error=wrong", Redirects.Target(old));
        using var again = await browser.SignInAsync(NewPassword);
        Assert.Equal("/", Redirects.Target(again));
        using var runsAgain = await browser.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, runsAgain.StatusCode);
    }

    private static async Task<OperatorBrowser> SignedInAsync(BlazorOsAppFactory site)
    {
        var browser = site.CreateBrowser();
        using var signIn = await browser.SignInAsync(BlazorOsAppFactory.Password);
        Assert.Equal("/", Redirects.Target(signIn));
        using var runs = await browser.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        return browser;
    }

    /// <summary>The token of the shell's sign-out form, as a signed-in page renders it.</summary>
    private static async Task<string> SignOutTokenAsync(OperatorBrowser browser)
    {
        using var page = await browser.GetAsync("/runs");
        var html = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var field = html.QuerySelector($"form[action='account/signout'] input[name='{OperatorBrowser.AntiforgeryField}']");
        Assert.NotNull(field);
        return field.GetAttribute("value")!;
    }
}
