using System.Net;
using BlazorOs.Web.Auth;
using BlazorOs.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Web.Tests.Auth;

/// <summary>
/// With no <c>BLAZOROS_OPERATOR_PASSWORD</c>, the first visitor sets the password at <c>/setup</c>, once: after that
/// setup is closed and cannot replace it. Each test starts its own app, because setup changes the store for good.
/// </summary>
public sealed class FirstStartTests
{
    private const string Chosen = "my first password";

    [Fact]
    public async Task Before_setup_signin_sends_the_visitor_to_setup()
    {
        await using var app = new BlazorOsAppFactory { Settings = { ["BLAZOROS_OPERATOR_PASSWORD"] = null } };
        using var browser = app.CreateBrowser();

        using var signin = await browser.GetAsync("/signin");

        Assert.Equal("/setup", Redirects.Target(signin));
        using var setup = await browser.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        var html = await setup.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Choose the operator password", html, StringComparison.Ordinal);
        Assert.Contains("action=\"account/setup\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_refuses_a_mismatch_and_a_short_password_and_sets_nothing()
    {
        await using var app = new BlazorOsAppFactory { Settings = { ["BLAZOROS_OPERATOR_PASSWORD"] = null } };
        using var browser = app.CreateBrowser();
        var token = await browser.FormTokenAsync("/setup");

        using var mismatch = await browser.PostFormAsync("/account/setup", token, ("password", Chosen), ("confirmation", Chosen + "!"));
        using var tooShort = await browser.PostFormAsync("/account/setup", token, ("password", "short"), ("confirmation", "short"));

        Assert.Equal("/setup?error=mismatch", Redirects.Target(mismatch));
        Assert.Equal("/setup?error=short", Redirects.Target(tooShort));
        Assert.Null(OperatorBrowser.SetCookie(mismatch, AuthServiceCollectionExtensions.CookieName));
        Assert.Null(OperatorBrowser.SetCookie(tooShort, AuthServiceCollectionExtensions.CookieName));
        Assert.False(await app.Services.GetRequiredService<OperatorAccount>().IsSetUpAsync(TestContext.Current.CancellationToken));
        using var page = await browser.GetAsync("/setup?error=mismatch");
        Assert.Contains("The two passwords differ.", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_sets_the_password_once_and_signs_the_operator_in()
    {
        await using var app = new BlazorOsAppFactory { Settings = { ["BLAZOROS_OPERATOR_PASSWORD"] = null } };
        using var operatorBrowser = app.CreateBrowser();

        using var setup = await operatorBrowser.PostFormAsync("/account/setup", await operatorBrowser.FormTokenAsync("/setup"),
            ("password", Chosen), ("confirmation", Chosen));

        Assert.Equal("/", Redirects.Target(setup));
        Assert.False(string.IsNullOrEmpty(OperatorBrowser.SetCookie(setup, AuthServiceCollectionExtensions.CookieName)));
        using (var runs = await operatorBrowser.GetAsync("/runs"))
        {
            Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        }

        // Setup is closed now, for everyone.
        using var latecomer = app.CreateBrowser();
        using (var setupPage = await latecomer.GetAsync("/setup"))
        {
            Assert.Equal("/signin", Redirects.Target(setupPage));
        }

        using var second = await latecomer.PostFormAsync("/account/setup", await latecomer.FormTokenAsync("/signin"),
            ("password", "a takeover password"), ("confirmation", "a takeover password"));
        Assert.Equal("/signin", Redirects.Target(second));
        Assert.Null(OperatorBrowser.SetCookie(second, AuthServiceCollectionExtensions.CookieName));

        using var takeover = await latecomer.SignInAsync("a takeover password");
        Assert.Equal("/signin?error=wrong", Redirects.Target(takeover));
        using var original = await latecomer.SignInAsync(Chosen);
        Assert.Equal("/", Redirects.Target(original));
    }

    [Fact]
    public async Task BLAZOROS_OPERATOR_PASSWORD_sets_the_password_and_closes_setup()
    {
        await using var app = new BlazorOsAppFactory();
        using var browser = app.CreateBrowser();

        using var setup = await browser.GetAsync("/setup");

        Assert.Equal("/signin", Redirects.Target(setup));
        Assert.True(await app.Services.GetRequiredService<OperatorAccount>().VerifyAsync(BlazorOsAppFactory.Password, TestContext.Current.CancellationToken));
    }
}
