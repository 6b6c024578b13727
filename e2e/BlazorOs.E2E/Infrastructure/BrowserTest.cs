using System.Globalization;
using System.Text.RegularExpressions;

namespace BlazorOs.E2E.Infrastructure;

/// <summary>
/// Base of a browser test: a fresh browser context (no cookies) and page per test against the class's app.
/// On failure it saves a screenshot and writes the app's log tail to the test output.
/// </summary>
public abstract partial class BrowserTest(BrowserFixture browser, BlazorOsAppFixture app, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<string> _browserErrors = [];
    private IBrowserContext? _context;
    private IPage? _page;

    protected BlazorOsAppFixture App { get; } = app;

    protected ITestOutputHelper Output { get; } = output;

    protected IPage Page => _page ?? throw new InvalidOperationException("The page is not open yet.");

    /// <summary>Uncaught page errors and console errors seen so far.</summary>
    protected IReadOnlyList<string> BrowserErrors
    {
        get
        {
            lock (_browserErrors)
            {
                return [.. _browserErrors];
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        _context = await browser.NewContextAsync(App.BaseAddress);
        _page = await _context.NewPageAsync();
        _page.PageError += (_, message) => AddBrowserError("page error: " + message);
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                AddBrowserError($"console error: {message.Text} ({message.Location})");
            }
        };
    }

    private void AddBrowserError(string text)
    {
        lock (_browserErrors)
        {
            _browserErrors.Add(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var failed = TestContext.Current.TestState?.Result is TestResult.Failed;
        if (failed && _page is not null)
        {
            try
            {
                var name = TestContext.Current.TestMethod?.MethodName ?? "test";
                var path = Path.Combine(RepoPaths.ScreenshotFolder, $"FAILED-{name}.png");
                Directory.CreateDirectory(RepoPaths.ScreenshotFolder);
                await _page.ScreenshotAsync(new() { Path = path, FullPage = true });
                Output.WriteLine($"Failure screenshot: {path} (page was {_page.Url})");
            }
            catch (PlaywrightException e)
            {
                Output.WriteLine($"No failure screenshot: {e.Message}");
            }
        }
        if (failed)
        {
            foreach (var error in BrowserErrors)
            {
                Output.WriteLine(error);
            }
            Output.WriteLine(App.Describe());
        }
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    // ---- steps shared by the tests -------------------------------------------------------------

    /// <summary>Asserts the page's path (query string ignored), e.g. "/signin".</summary>
    protected async Task ExpectPathAsync(string path)
    {
        var pattern = "^https?://[^/]+" + Regex.Escape(path) + "([?#].*)?$";
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex(pattern));
    }

    /// <summary>Waits until the interactive circuit is up (the layout's hidden #blazoros-ready marker).</summary>
    protected Task WaitForCircuitAsync() =>
        Page.Locator("#blazoros-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    protected ILocator Field(string label) => Page.GetByLabel(label, new() { Exact = true });

    protected ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected ILocator Heading(string name) =>
        Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true, Level = 1 });

    protected ILocator NavLink(string text) =>
        Page.Locator("a.mud-nav-link").Filter(new() { HasTextRegex = new Regex("^\\s*" + Regex.Escape(text) + "\\s*$") });

    protected async Task SetPasswordAsync(string password, string confirmation)
    {
        await Field("Password").FillAsync(password);
        await Field("Confirm password").FillAsync(confirmation);
        await Button("Set password").ClickAsync();
    }

    protected async Task SignInAsync(string password)
    {
        await Field("Password").FillAsync(password);
        await Button("Sign in").ClickAsync();
    }

    /// <summary>Full-page screenshot into TestResults/e2e-screenshots; returns the file path.</summary>
    protected async Task<string> ScreenshotAsync(int number, string name)
    {
        Directory.CreateDirectory(RepoPaths.ScreenshotFolder);
        var file = Path.Combine(RepoPaths.ScreenshotFolder, string.Create(CultureInfo.InvariantCulture, $"{number:00}-{name}.png"));
        // What a person sees once the page settles: no hover, focus ring or click ripple from the last click.
        await Page.Mouse.MoveAsync(1279, 799);
        await Page.EvaluateAsync("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()");
        await Page.WaitForTimeoutAsync(400); // MudBlazor's hover and ripple fade out
        await Page.ScreenshotAsync(new() { Path = file, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        Output.WriteLine($"Screenshot: {file}");
        return file;
    }

    /// <summary>The sum of the body's background RGB channels: lower is darker.</summary>
    protected Task<int> BodyBrightnessAsync() =>
        Page.EvaluateAsync<int>(
            """
            () => {
              const m = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g) || ['0', '0', '0'];
              return Math.round(Number(m[0]) + Number(m[1]) + Number(m[2]));
            }
            """);
}
