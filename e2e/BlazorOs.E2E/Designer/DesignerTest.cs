using System.Globalization;
using System.Text.Json.Nodes;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Designer;

/// <summary>Steps the designer tests share: sign in, open a playbook, drop, connect, fill properties, wait for the server.</summary>
public abstract class DesignerTest(BrowserFixture browser, DesignerAppFixture app, ITestOutputHelper output)
    : BrowserTest(browser, app, output)
{
    protected new DesignerAppFixture App { get; } = app;

    protected ILocator Designer => Page.Locator("[data-testid=designer]");

    /// <summary>The main canvas only: the minimap draws a second copy of every node.</summary>
    protected ILocator Graph => Page.Locator(".bos-designer-graph");

    protected ILocator Panel => Page.Locator("[data-testid=node-properties]");

    protected ILocator Node(string id) => Graph.Locator($"g.x6-node[data-cell-id=\"{id}\"]");

    protected ILocator Edge(string id) => Graph.Locator($"g.x6-edge[data-cell-id=\"{id}\"]");

    protected ILocator Port(string node, string port) => Node(node).Locator($"[port=\"{port}\"]");

    protected ILocator Hint => Page.Locator(".bos-designer-hint");

    /// <summary>
    /// Signs in once per app and reuses the session cookie afterwards: sign-in allows five attempts a minute per address,
    /// fewer than a class of tests makes.
    /// </summary>
    protected async Task SignInAsync()
    {
        await Page.SetViewportSizeAsync(2000, 1000);
        if (App.SessionCookies is { } cookies)
        {
            await Page.Context.AddCookiesAsync(cookies);
            await Page.GotoAsync("/");
        }
        else
        {
            await Page.GotoAsync("/signin");
            await SignInAsync(DesignerAppFixture.OperatorPassword);
            await ExpectPathAsync("/");
            App.SessionCookies = [.. (await Page.Context.CookiesAsync()).Select(c => new Cookie
            {
                Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, HttpOnly = c.HttpOnly,
                Secure = c.Secure, SameSite = c.SameSite,
            })];
        }

        await WaitForCircuitAsync();
    }

    protected async Task OpenAsync(Guid id)
    {
        await Page.GotoAsync($"/playbooks/{id}");
        await WaitForCanvasAsync();
    }

    protected async Task WaitForCanvasAsync()
    {
        await WaitForCircuitAsync();
        await Assertions.Expect(Page.Locator("[data-testid=designer-canvas]")).ToHaveAttributeAsync("data-ready", "true");
    }

    protected async Task<int> RevisionAsync() =>
        int.Parse(await Designer.GetAttributeAsync("data-revision") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Does something that sends one command, then waits until the server has handled it.</summary>
    protected async Task CommandAsync(Func<Task> action)
    {
        var before = await RevisionAsync();
        await action();
        await Assertions.Expect(Designer).Not.ToHaveAttributeAsync("data-revision", before.ToString(CultureInfo.InvariantCulture));
    }

    private const float Zoom = 0.8f;

    /// <summary>Shows the canvas at zoom 0.8 (<see cref="Zoom"/>) with graph point (0, 0) 40 px from its top-left corner: a view change only.</summary>
    protected Task NormalizeViewAsync() =>
        Page.EvaluateAsync("() => { const g = window.blazorOsDesigner.graph; g.zoomTo(0.8); g.translate(40, 40); }");

    /// <summary>Drags a palette item onto the canvas so that the new step's top-left lands on graph point (x, y).</summary>
    protected Task DropAsync(string kind, int x, int y) => CommandAsync(() =>
        Page.Locator($"[data-palette-kind=\"{kind}\"]").DragToAsync(Graph,
            new() { TargetPosition = new() { X = 40 + ((x + 100) * Zoom), Y = 40 + ((y + 28) * Zoom) } }));

    /// <summary>Draws an edge with the mouse from an output port to a step's input port.</summary>
    protected async Task DragEdgeAsync(string from, string port, string to, bool release = true)
    {
        var source = await CenterAsync(Port(from, port));
        var target = await CenterAsync(Port(to, "in"));
        await Page.Mouse.MoveAsync(source.X, source.Y);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync((source.X + target.X) / 2, (source.Y + target.Y) / 2, new() { Steps = 8 });
        await Page.Mouse.MoveAsync(target.X, target.Y, new() { Steps = 8 });
        if (release)
        {
            await Page.Mouse.UpAsync();
        }
    }

    protected async Task ConnectAsync(string from, string port, string to)
    {
        await CommandAsync(() => DragEdgeAsync(from, port, to));
        await Assertions.Expect(Edge($"{from}|{port}|{to}")).ToHaveCountAsync(1);
    }

    protected async Task SelectAsync(string id)
    {
        await Node(id).Locator("text").First.ClickAsync();
        await Assertions.Expect(Panel).ToHaveAttributeAsync("data-node", id);
    }

    /// <summary>Types into a field of the properties panel and leaves it (the change is sent on blur).</summary>
    protected Task FillAsync(ILocator field, string value) => CommandAsync(async () =>
    {
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    });

    protected ILocator Setting(string name) => Panel.Locator($"[data-setting=\"{name}\"]").Locator("textarea:not([readonly]):not([aria-hidden=true]), input:not([type=hidden])").First;

    protected Task SettingAsync(string name, string value) => FillAsync(Setting(name), value);

    /// <summary>Picks an item of a MudSelect identified by its label inside <paramref name="scope"/>.</summary>
    protected Task ChooseAsync(ILocator scope, string value) => CommandAsync(async () =>
    {
        await scope.Locator(".mud-select").First.ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextString = value }).First.ClickAsync();
    });

    /// <summary>The graph as the canvas draws it: ids with kinds, and edges.</summary>
    protected async Task<(List<string> Nodes, List<string> Edges)> CanvasGraphAsync()
    {
        var json = await Page.EvaluateAsync<string>("() => JSON.stringify(window.blazorOsDesigner.snapshot())");
        var snapshot = JsonNode.Parse(json)!;
        return ([.. snapshot["nodes"]!.AsArray().Select(n => $"{n!["id"]}:{n["kind"]}")],
            [.. snapshot["edges"]!.AsArray().Select(e => $"{e!["from"]}|{e["port"]}|{e["to"]}")]);
    }

    /// <summary>A screenshot as the page is now, mouse included (the hint of an edge being dragged shows only then).</summary>
    protected async Task ScreenshotAsIsAsync(int number, string name)
    {
        Directory.CreateDirectory(RepoPaths.ScreenshotFolder);
        var file = Path.Combine(RepoPaths.ScreenshotFolder, string.Create(CultureInfo.InvariantCulture, $"{number:00}-{name}.png"));
        await Page.ScreenshotAsync(new() { Path = file, Animations = ScreenshotAnimations.Disabled });
        Output.WriteLine($"Screenshot: {file}");
    }

    private static async Task<(float X, float Y)> CenterAsync(ILocator locator)
    {
        var box = await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("The element is not visible.");
        return (box.X + (box.Width / 2), box.Y + (box.Height / 2));
    }
}
