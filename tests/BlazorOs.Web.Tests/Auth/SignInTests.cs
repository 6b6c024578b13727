using System.Net;
using AngleSharp.Html.Parser;
using BlazorOs.Web.Auth;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Auth;

/// <summary>
/// Sign-in over plain HTTP as a browser does it: the form on <c>/signin</c> posts the password and its antiforgery
/// token to <c>/account/signin</c>; success sets the <c>blazoros.auth</c> cookie. Five tries a minute per client address.
/// </summary>
public sealed class SignInTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task The_signin_page_has_a_password_field_and_a_sign_in_button()
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.GetAsync("/signin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var form = html.QuerySelector("form[action='account/signin']");
        Assert.NotNull(form);
        Assert.Equal("Password", form.QuerySelector("label[for='password']")?.TextContent);
        Assert.Equal("password", form.QuerySelector("input#password")?.GetAttribute("type"));
        Assert.Equal("Sign in", form.QuerySelector("button[type='submit']")?.TextContent);
        Assert.NotNull(form.QuerySelector($"input[name='{OperatorBrowser.AntiforgeryField}']"));
    }

    [Fact]
    public async Task The_right_password_sets_the_session_cookie_and_opens_the_pages()
    {
        using var browser = app.CreateBrowser();

        using var signIn = await browser.SignInAsync(BlazorOsAppFactory.Password);

        Assert.Equal("/", Redirects.Target(signIn));
        Assert.False(string.IsNullOrEmpty(OperatorBrowser.SetCookie(signIn, AuthServiceCollectionExtensions.CookieName)));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthServiceCollectionExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        using var runs = await browser.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        var html = await new HtmlParser().ParseDocumentAsync(await runs.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Runs", html.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact]
    public async Task A_wrong_password_goes_back_to_signin_with_an_error_and_no_cookie()
    {
        using var browser = app.CreateBrowser();

        using var signIn = await browser.SignInAsync("not the password", returnUrl: "/runs");

        Assert.Equal("/signin?error=wrong&returnUrl=%2Fruns", Redirects.Target(signIn));
        Assert.Null(OperatorBrowser.SetCookie(signIn, AuthServiceCollectionExtensions.CookieName));
        using var page = await browser.GetAsync("/signin?error=wrong");
        Assert.Contains("Wrong password. Try again.", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var runs = await browser.GetAsync("/runs");
        Assert.StartsWith("/signin?", Redirects.Target(runs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_signs_nobody_in()
    {
        using var browser = await BrowserWithAntiforgeryCookieAsync();

        using var signIn = await browser.PostFormAsync("/account/signin", token: null, ("password", BlazorOsAppFactory.Password));

        Assert.NotEqual("/", signIn.Headers.Location?.OriginalString);
        Assert.Null(OperatorBrowser.SetCookie(signIn, AuthServiceCollectionExtensions.CookieName));
        using var runs = await browser.GetAsync("/runs");
        Assert.Equal("/signin?ReturnUrl=%2Fruns", Redirects.Target(runs));
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_a_400()
    {
        using var browser = await BrowserWithAntiforgeryCookieAsync();

        using var signIn = await browser.PostFormAsync("/account/signin", token: null, ("password", BlazorOsAppFactory.Password));

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
    }

    [Fact]
    public async Task The_sixth_try_within_a_minute_is_throttled_even_with_the_right_password()
    {
        using var browser = app.CreateBrowser();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await browser.SignInAsync($"wrong password {attempt}");
            Assert.Equal("/signin?error=wrong", Redirects.Target(wrong));
        }

        using var sixth = await browser.SignInAsync(BlazorOsAppFactory.Password);

        Assert.Equal("/signin?error=throttled", Redirects.Target(sixth, HttpStatusCode.SeeOther));
        Assert.Null(OperatorBrowser.SetCookie(sixth, AuthServiceCollectionExtensions.CookieName));
        // Another client address is not held back by this one's tries.
        using var other = app.CreateBrowser();
        using var otherSignIn = await other.SignInAsync(BlazorOsAppFactory.Password);
        Assert.Equal("/", Redirects.Target(otherSignIn));
    }

    /// <summary>A browser that opened /signin, so it holds the antiforgery cookie; only a form field can be missing.</summary>
    private async Task<OperatorBrowser> BrowserWithAntiforgeryCookieAsync()
    {
        var browser = app.CreateBrowser();
        using var page = await browser.GetAsync("/signin");
        Assert.Contains(".AspNetCore.Antiforgery.", string.Join(";", page.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        return browser;
    }
}
