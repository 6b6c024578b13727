namespace BlazorOs.E2E.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright's bundled node driver. Never downloads a browser:
/// <c>apt-get install chromium fonts-liberation</c> provides it (test.sh does that when it is missing).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing. Install Debian's Chromium: apt-get install -y chromium fonts-liberation (./test.sh does it).");
        }

        // Screenshots of an earlier run would pass for this run's.
        if (Directory.Exists(RepoPaths.ScreenshotFolder))
        {
            foreach (var old in Directory.EnumerateFiles(RepoPaths.ScreenshotFolder, "*.png"))
            {
                File.Delete(old);
            }
        }

        // Expectations wait for Blazor's circuit and for a 2-core machine's first JIT: 5 s is too tight.
        Assertions.SetDefaultExpectTimeout(15_000);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A new context (own cookies) with the timeouts and viewport every test uses.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
