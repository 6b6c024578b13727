using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Designer;

/// <summary>
/// The visual designer in Chromium: the CONTRACTS example drawn from the palette with the mouse and saved, refused
/// connections, undo and redo, import and export, the gallery. Screenshots of each state go to TestResults.
/// </summary>
public sealed partial class DesignerTests(BrowserFixture browser, DesignerAppFixture app, ITestOutputHelper output)
    : DesignerTest(browser, app, output), IClassFixture<DesignerAppFixture>
{
    [Fact]
    public async Task The_contract_example_is_drawn_from_the_palette_saved_and_reloaded_as_the_same_graph()
    {
        await SignInAsync();
        await Page.GotoAsync("/playbooks");
        await WaitForCircuitAsync();
        await Button("New playbook").ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/playbooks/[0-9a-f-]{36}$"));
        await WaitForCanvasAsync();
        var id = Guid.Parse(new Uri(Page.Url).Segments[^1]);
        await ScreenshotAsync(20, "designer-blank");

        // The blank playbook is start → done; the example's end comes later in its node order.
        await SelectAsync("done");
        await CommandAsync(() => Page.Keyboard.PressAsync("Delete"));
        await Assertions.Expect(Node("done")).ToHaveCountAsync(0);
        await NormalizeViewAsync();

        await DropAsync("agent", 280, 0);
        await FillAsync(Panel.GetByLabel("Id", new() { Exact = true }), "draft");
        await FillAsync(Panel.GetByLabel("Label", new() { Exact = true }), "Draft email");
        await SettingAsync("prompt", "Write a short follow-up to {{ inputs.lead_email }}.");
        await ChooseAsync(Panel.Locator("[data-setting=tier]"), "task");
        await CommandAsync(() => Panel.GetByLabel("memory.search").CheckAsync());
        await FillAsync(Panel.GetByLabel("Attempts"), "3");
        await FillAsync(Panel.GetByLabel("Timeout (ms)"), "60000");
        await Assertions.Expect(Panel.Locator("[data-setting=prompt] [data-testid=template-preview]")).ToContainTextAsync("Write a short follow-up to");

        await DropAsync("approval", 560, 0);
        await FillAsync(Panel.GetByLabel("Id", new() { Exact = true }), "review");
        await FillAsync(Panel.GetByLabel("Label", new() { Exact = true }), "Send it?");
        await SettingAsync("question", "Send this email?");
        await SettingAsync("show", "{{ steps.draft.output }}");
        await SettingAsync("timeoutMinutes", "1440");
        await ChooseAsync(Panel.Locator("[data-setting=onTimeout]"), "reject");

        await DropAsync("http", 840, 0);
        await FillAsync(Panel.GetByLabel("Id", new() { Exact = true }), "send");
        await FillAsync(Panel.GetByLabel("Label", new() { Exact = true }), "Send");
        await ChooseAsync(Panel.Locator("[data-setting=method]"), "POST");
        await SettingAsync("url", "http://127.0.0.1:9/mail");
        await SettingAsync("body", "{{ steps.draft.output }}");

        await DropAsync("end", 1120, 0);
        await FillAsync(Panel.GetByLabel("Id", new() { Exact = true }), "done");
        await FillAsync(Panel.GetByLabel("Label", new() { Exact = true }), "");
        await SettingAsync("outcome", "sent");
        await SettingAsync("kpi", "followups_sent = 1");

        await DropAsync("end", 840, 160);
        await FillAsync(Panel.GetByLabel("Id", new() { Exact = true }), "dropped");
        await FillAsync(Panel.GetByLabel("Label", new() { Exact = true }), "");
        await SettingAsync("outcome", "dropped");
        await ScreenshotAsync(21, "designer-steps-dropped");

        await ConnectAsync("start", "next", "draft");
        await ConnectAsync("draft", "next", "review");
        await ConnectAsync("review", "approved", "send");
        await ConnectAsync("review", "rejected", "dropped");
        await ConnectAsync("send", "next", "done");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Playbook" }).ClickAsync();
        var playbook = Page.Locator("[data-testid=playbook-properties]");
        await FillAsync(playbook.GetByLabel("Name", new() { Exact = true }).First, "Lead follow-up");
        await FillAsync(playbook.GetByLabel("Description", new() { Exact = true }), "Draft, approve and send a follow-up to a new lead.");
        await CommandAsync(() => playbook.GetByRole(AriaRole.Button, new() { Name = "Add input" }).ClickAsync());
        await FillAsync(playbook.Locator("[data-testid=input-row]").GetByLabel("Name", new() { Exact = true }), "lead_email");
        await CommandAsync(() => playbook.Locator("[data-testid=input-row]").GetByLabel("Required").CheckAsync());
        await CommandAsync(() => playbook.GetByRole(AriaRole.Button, new() { Name = "Add KPI" }).ClickAsync());
        await FillAsync(playbook.Locator("[data-testid=kpi-row]").GetByLabel("Name", new() { Exact = true }), "followups_sent");
        await Assertions.Expect(Page.Locator("[data-testid=problem-count]")).ToHaveCountAsync(0);
        await ScreenshotAsync(22, "designer-example-built");

        await Page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-saved-version", "2");
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-dirty", "false");
        await ScreenshotAsync(23, "designer-example-saved");

        // The stored version is the CONTRACTS example, but for the positions.
        var saved = await App.VersionAsync(id, 2);
        Assert.True(JsonNode.DeepEquals(Playbooks.WithoutPositions(Playbooks.ContractExample), Playbooks.WithoutPositions(saved)),
            $"Saved:{Environment.NewLine}{saved}");

        await Page.ReloadAsync();
        await WaitForCanvasAsync();
        var (nodes, edges) = await CanvasGraphAsync();
        Assert.Equal(Playbooks.ExampleNodes, nodes);
        Assert.Equal(Playbooks.ExampleEdges, edges);
        await ScreenshotAsync(24, "designer-example-reloaded");
    }

    [Fact]
    public async Task An_invalid_connection_is_refused_with_its_reason()
    {
        var id = await App.ImportAsync(Playbooks.ContractExample);
        await SignInAsync();
        await OpenAsync(id);
        await NormalizeViewAsync();
        await DropAsync("join", 1120, 200);

        // A join fed by the approval's rejected port would wait for ever.
        await DragEdgeAsync("review", "rejected", "join", release: false);
        await Assertions.Expect(Hint).ToBeVisibleAsync();
        await Assertions.Expect(Hint).ToContainTextAsync("'rejected' port of 'review' may never fire");
        await ScreenshotAsIsAsync(25, "designer-connection-refused");
        await Page.Mouse.UpAsync();
        await Assertions.Expect(Edge("review|rejected|join")).ToHaveCountAsync(0);

        // A step that leads back to itself.
        await DragEdgeAsync("send", "next", "send");
        await Assertions.Expect(Hint).ToContainTextAsync("A step cannot lead back to itself.");
        await Assertions.Expect(Edge("send|next|send")).ToHaveCountAsync(0);

        // The same edge twice.
        await DragEdgeAsync("draft", "next", "review");
        await Assertions.Expect(Hint).ToContainTextAsync("'draft' already leads to 'review' through 'next'.");
        Assert.Equal(Playbooks.ExampleEdges, (await CanvasGraphAsync()).Edges);
    }

    [Fact]
    public async Task Undo_and_redo_take_a_deletion_back_and_forth()
    {
        var id = await App.ImportAsync(Playbooks.ContractExample);
        await SignInAsync();
        await OpenAsync(id);

        await SelectAsync("send");
        await CommandAsync(() => Page.Keyboard.PressAsync("Delete"));
        await Assertions.Expect(Node("send")).ToHaveCountAsync(0);
        await Assertions.Expect(Edge("send|next|done")).ToHaveCountAsync(0);
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-dirty", "true");
        await ScreenshotAsync(26, "designer-after-delete");

        await CommandAsync(() => Button("Undo").ClickAsync());
        await Assertions.Expect(Node("send")).ToHaveCountAsync(1);
        Assert.Equal(Playbooks.ExampleEdges.Order(), (await CanvasGraphAsync()).Edges.Order());
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-dirty", "false");
        await ScreenshotAsync(27, "designer-after-undo");

        await CommandAsync(() => Button("Redo").ClickAsync());
        await Assertions.Expect(Node("send")).ToHaveCountAsync(0);

        // The keyboard does the same while the canvas has the focus.
        await Graph.ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await CommandAsync(() => Page.Keyboard.PressAsync("Control+z"));
        await Assertions.Expect(Node("send")).ToHaveCountAsync(1);
        await CommandAsync(() => Page.Keyboard.PressAsync("Control+Shift+z"));
        await Assertions.Expect(Node("send")).ToHaveCountAsync(0);

        // Unsaved changes: leaving asks first.
        await NavLink("Runs").ClickAsync();
        await Assertions.Expect(Page.Locator(".mud-dialog")).ToContainTextAsync("Leave without saving?");
        await ScreenshotAsync(32, "designer-leave-guard");
        await Button("Stay").ClickAsync();
        await ExpectPathAsync($"/playbooks/{id}");
        await Assertions.Expect(Node("send")).ToHaveCountAsync(0);
        await NavLink("Runs").ClickAsync();
        await Button("Leave").ClickAsync();
        await ExpectPathAsync("/runs");
    }

    [Fact]
    public async Task Run_asks_for_the_inputs_starts_a_run_and_opens_it()
    {
        var id = await App.ImportAsync(Playbooks.ContractExample);
        await SignInAsync();
        await OpenAsync(id);

        await Button("Run").ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Starts a run of version 1");
        await dialog.GetByLabel("lead_email *").FillAsync("lead@example.com");
        await ScreenshotAsync(33, "designer-run-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/runs/[0-9a-f-]{36}$"));
        await Assertions.Expect(Heading("Lead follow-up v1")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_imported_file_exports_back_the_same_but_for_positions()
    {
        var id = await App.ImportAsync(Playbooks.Large(3, 2));
        var file = Path.Combine(Path.GetTempPath(), $"lead-follow-up-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, Playbooks.ContractExample, TestContext.Current.CancellationToken);
        try
        {
            await SignInAsync();
            await OpenAsync(id);

            await CommandAsync(() => Page.Locator(".bos-import input[type=file]").SetInputFilesAsync(file));
            await Assertions.Expect(Node("review")).ToHaveCountAsync(1);
            await Assertions.Expect(Node("n1")).ToHaveCountAsync(0);
            await ScreenshotAsync(28, "designer-imported");

            await Page.GetByLabel("Export").ClickAsync();
            var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByText("Playbook JSON").ClickAsync());
            var exported = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);

            Assert.Equal("Lead follow-up.json", download.SuggestedFilename);
            Assert.True(JsonNode.DeepEquals(Playbooks.WithoutPositions(Playbooks.ContractExample), Playbooks.WithoutPositions(exported)),
                $"Exported:{Environment.NewLine}{exported}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_gallery_searches_duplicates_and_deletes_but_keeps_a_playbook_with_runs()
    {
        var kept = await App.ImportAsync(Playbooks.ContractExample.Replace("Lead follow-up", "Kept with runs", StringComparison.Ordinal));
        await App.StartRunAsync(kept);
        await App.ImportAsync(Playbooks.ContractExample.Replace("Lead follow-up", "Throwaway", StringComparison.Ordinal));
        await SignInAsync();
        await Page.GotoAsync("/playbooks");
        await WaitForCircuitAsync();
        var rows = Page.Locator("[data-testid=playbook-table] tbody tr");

        await Page.GetByPlaceholder("Search playbooks").FillAsync("throw");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Page.GetByPlaceholder("Search playbooks").FillAsync("");

        await Button("Duplicate Throwaway").ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Throwaway (copy)", Exact = true })).ToBeVisibleAsync();

        await Button("Delete Kept with runs").ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("This playbook cannot be deleted");
        await Assertions.Expect(dialog).ToContainTextAsync("has 1 run(s)");
        await ScreenshotAsync(29, "gallery-delete-refused");
        await Button("OK").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        // Focus goes back to the refused delete button, whose tooltip then covers the next row's button.
        await Page.EvaluateAsync("() => document.activeElement?.blur()");
        await Page.Mouse.MoveAsync(0, 0);
        await Assertions.Expect(Page.Locator(".mud-tooltip.mud-popover-open")).ToHaveCountAsync(0);

        await Button("Delete Throwaway").ClickAsync();
        await Button("Delete").ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Throwaway", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Kept with runs", Exact = true })).ToBeVisibleAsync();
        await ScreenshotAsync(30, "gallery");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Throwaway (copy)", Exact = true }).ClickAsync();
        await WaitForCanvasAsync();
        await Assertions.Expect(Heading("Throwaway (copy)")).ToBeVisibleAsync();
    }
}
