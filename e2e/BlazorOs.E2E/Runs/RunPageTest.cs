using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>Steps the run page tests share: sign in once per app, open a run, find its steps and canvas.</summary>
public abstract class RunPageTest(BrowserFixture browser, RunsAppFixture app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    protected new RunsAppFixture App { get; } = app;

    /// <summary>The main canvas only: the minimap draws a second copy of every node.</summary>
    protected ILocator Graph => Page.Locator(".bos-designer-graph");

    protected ILocator Canvas => Page.Locator("[data-testid=designer-canvas]");

    protected ILocator Step(string node) => Page.Locator($"[data-testid=step][data-node=\"{node}\"]").Last;

    protected ILocator TraceList => Page.GetByTestId("trace-list");

    /// <summary>Signs in once per app and reuses the cookie: sign-in allows five attempts a minute per address.</summary>
    protected async Task SignInAsync()
    {
        await Page.SetViewportSizeAsync(1600, 1000);
        if (App.SessionCookies is { } cookies)
        {
            await Page.Context.AddCookiesAsync(cookies);
            await Page.GotoAsync("/");
        }
        else
        {
            await Page.GotoAsync("/signin");
            await SignInAsync(RunsAppFixture.OperatorPassword);
            await ExpectPathAsync("/");
            App.SessionCookies = [.. (await Page.Context.CookiesAsync()).Select(c => new Cookie
            {
                Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, HttpOnly = c.HttpOnly,
                Secure = c.Secure, SameSite = c.SameSite,
            })];
        }

        await WaitForCircuitAsync();
    }

    protected async Task OpenRunAsync(Guid runId)
    {
        await Page.GotoAsync($"/runs/{runId}");
        await WaitForCircuitAsync();
        await Assertions.Expect(Canvas).ToHaveAttributeAsync("data-ready", "true");
    }

    /// <summary>The status the canvas draws a step in (status.js), e.g. "done"; "none" before the run reached it.</summary>
    protected Task<string> CanvasStatusAsync(string node) =>
        Page.EvaluateAsync<string>("(id) => window.blazorOsDesigner.statusOf(id)", node);

    protected async Task ExpectCanvasStatusAsync(string node, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await CanvasStatusAsync(node) != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The canvas shows {node} as {await CanvasStatusAsync(node)}, not {status}.");
            await Page.WaitForTimeoutAsync(100);
        }
    }
}
