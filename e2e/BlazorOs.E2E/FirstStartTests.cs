using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E;

/// <summary>A BlazorOs that has never been started: the operator sets the password, then uses every page.</summary>
public sealed class FirstStartTests(BrowserFixture browser, FreshAppFixture app, ITestOutputHelper output)
    : BrowserTest(browser, app, output), IClassFixture<FreshAppFixture>
{
    private const string OperatorPassword = "first-start-password-42";

    /// <summary>The navigation, in the order the shell shows it: link text (= h1), route, screenshot name.</summary>
    public static readonly (string Name, string Route, string Slug)[] Pages =
    [
        ("Dashboard", "/", "dashboard"),
        ("Goals", "/goals", "goals"),
        ("Playbooks", "/playbooks", "playbooks"),
        ("Runs", "/runs", "runs"),
        ("Approvals", "/approvals", "approvals"),
        ("Memory", "/memory", "memory"),
        ("Policies", "/policies", "policies"),
        ("Settings", "/settings", "settings"),
    ];

    [Fact]
    public async Task First_start_sets_the_password_then_signs_in_and_visits_every_page()
    {
        Output.WriteLine($"Screenshots go to {RepoPaths.ScreenshotFolder}");
        var number = 1;

        // Every page leads to /setup while no password exists.
        await Page.GotoAsync("/runs");
        await ExpectPathAsync("/setup");

        // Too short: refused, still on /setup.
        await SetPasswordAsync("short-1", "short-1");
        await Assertions.Expect(Page.Locator(".auth-error")).ToBeVisibleAsync();
        await ExpectPathAsync("/setup");

        // Long enough but the two fields differ: refused, still on /setup.
        await SetPasswordAsync(OperatorPassword, OperatorPassword + "x");
        await Assertions.Expect(Page.Locator(".auth-error")).ToBeVisibleAsync();
        await ExpectPathAsync("/setup");
        await ScreenshotAsync(number++, "setup-refused");

        // Accepted: the operator is signed in and lands on the dashboard.
        await SetPasswordAsync(OperatorPassword, OperatorPassword);
        await ExpectPathAsync("/");
        await WaitForCircuitAsync();
        await Assertions.Expect(Heading("Dashboard")).ToBeVisibleAsync();

        // MudBlazor's own stylesheet is served and applied (static web assets from the build output).
        var mudCssLoaded = await Page.EvaluateAsync<bool>(
            "() => [...document.styleSheets].some(s => (s.href || '').includes('MudBlazor') && s.cssRules.length > 0)");
        Assert.True(mudCssLoaded, "MudBlazor.min.css is not loaded on the dashboard.\n" + App.Describe());

        // Sign out ends the session and shows the sign-in page.
        await Button("Sign out").ClickAsync();
        await ExpectPathAsync("/signin");

        // A wrong password is refused with a clear message.
        await SignInAsync("not-the-operator-password");
        await Assertions.Expect(Page.Locator(".auth-error")).ToContainTextAsync("Wrong password");
        await ExpectPathAsync("/signin");
        await ScreenshotAsync(number++, "signin-wrong-password");

        // The right one signs in again.
        await SignInAsync(OperatorPassword);
        await ExpectPathAsync("/");
        await WaitForCircuitAsync();

        // Every page through the navigation: URL, heading, screenshot.
        foreach (var (name, route, slug) in Pages)
        {
            await NavLink(name).ClickAsync();
            await ExpectPathAsync(route);
            await Assertions.Expect(Heading(name)).ToBeVisibleAsync();
            await ScreenshotAsync(number++, slug);
        }

        // Dark mode: back on the dashboard, the toggle darkens the page.
        await NavLink("Dashboard").ClickAsync();
        await ExpectPathAsync("/");
        await Assertions.Expect(Heading("Dashboard")).ToBeVisibleAsync();
        var light = await BodyBrightnessAsync();
        await Button("Toggle dark mode").ClickAsync();
        await Page.WaitForFunctionAsync(
            """
            light => {
              const m = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g) || ['0', '0', '0'];
              return Number(m[0]) + Number(m[1]) + Number(m[2]) < light;
            }
            """,
            light);
        await ScreenshotAsync(number, "dashboard-dark");

        Assert.True(BrowserErrors.Count == 0, "The browser reported errors:\n" + string.Join('\n', BrowserErrors));
    }
}
