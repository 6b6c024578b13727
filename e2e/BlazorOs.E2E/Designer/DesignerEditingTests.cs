using System.Text.Json.Nodes;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Designer;

/// <summary>
/// Editing the CONTRACTS example on the canvas in Chromium: copy and paste, multi-select and delete, deleting an edge,
/// auto-layout, restoring a version, the keyboard help. Each change is made with the mouse and keyboard and checked
/// on the graph the canvas draws (and, where it matters, on what the server stored). Screenshots go to TestResults.
/// </summary>
public sealed class DesignerEditingTests(BrowserFixture browser, DesignerAppFixture app, ITestOutputHelper output)
    : DesignerTest(browser, app, output), IClassFixture<DesignerAppFixture>
{
    [Fact]
    public async Task Choosing_the_working_tier_shows_a_remember_steps_scope_and_confidence_as_not_used()
    {
        var id = await App.ImportAsync("""
            { "schema": "blazoros/playbook@1", "name": "Draft notes",
              "nodes": [
                { "id": "start", "kind": "trigger.manual", "position": { "x": 0, "y": 0 } },
                { "id": "remember", "kind": "memory.write", "label": "Note the draft", "position": { "x": 280, "y": 0 },
                  "settings": { "subject": "Acme", "predicate": "draft-status", "value": "first draft written", "scope": "clients" } },
                { "id": "done", "kind": "end", "position": { "x": 560, "y": 0 } }
              ],
              "edges": [{ "from": "start", "to": "remember" }, { "from": "remember", "to": "done" }] }
            """);
        await SignInAsync();
        await OpenAsync(id);
        await SelectAsync("remember");
        var scope = Panel.Locator("[data-setting=scope]");
        await Assertions.Expect(Panel.Locator("[data-setting=tier]")).ToContainTextAsync("working: a note for this run's later steps");
        await Assertions.Expect(scope.Locator("input")).ToBeEnabledAsync();

        await ChooseAsync(Panel.Locator("[data-setting=tier]"), "working");

        await Assertions.Expect(scope.Locator("input")).ToBeDisabledAsync();
        await Assertions.Expect(scope).ToContainTextAsync("Not used by a working note: it stays in this run.");
        await Assertions.Expect(Panel.Locator("[data-setting=confidence] input")).ToBeDisabledAsync();
        await Assertions.Expect(Panel.Locator("[data-setting=subject] textarea:not([readonly]):not([aria-hidden=true]), [data-setting=subject] input:not([type=hidden])").First)
            .ToBeEnabledAsync();
        await Panel.Locator("[data-setting=confidence]").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsIsAsync(55, "designer-working-note-scope-not-used");

        await ChooseAsync(Panel.Locator("[data-setting=tier]"), "durable");
        await Assertions.Expect(scope.Locator("input")).ToBeEnabledAsync();
        await Assertions.Expect(scope.Locator("input")).ToHaveValueAsync("clients");
    }

    [Fact]
    public async Task Copied_steps_paste_as_new_steps_with_the_edge_between_them()
    {
        await OpenExampleAsync();
        var before = await PositionsAsync();

        await SelectAsync("draft");
        await AddToSelectionAsync("review", KeyboardModifier.Control);
        await Page.Keyboard.PressAsync("Control+c");
        await CommandAsync(() => Page.Keyboard.PressAsync("Control+v"));

        var (nodes, edges) = await CanvasGraphAsync();
        var pasted = nodes.Except(Playbooks.ExampleNodes).ToList();
        Assert.Equal(["agent", "approval"], pasted.Select(n => n.Split(':')[1]).Order());
        var newDraft = pasted.Single(n => n.EndsWith(":agent", StringComparison.Ordinal)).Split(':')[0];
        var newReview = pasted.Single(n => n.EndsWith(":approval", StringComparison.Ordinal)).Split(':')[0];
        Assert.Equal([.. Playbooks.ExampleEdges, $"{newDraft}|next|{newReview}"], edges);

        // The copies sit 40 px right of and below their originals, and are the selection now.
        var after = await PositionsAsync();
        Assert.Equal((before["draft"].X + 40, before["draft"].Y + 40), after[newDraft]);
        Assert.Equal((before["review"].X + 40, before["review"].Y + 40), after[newReview]);
        Assert.Equal([newDraft, newReview], (await SelectedAsync()).Order());
        await Assertions.Expect(Edge($"{newDraft}|next|{newReview}")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.Locator("[data-testid=node-properties-empty]")).ToContainTextAsync("2 steps are selected");
        await ScreenshotAsync(40, "designer-pasted");
    }

    [Fact]
    public async Task Steps_selected_with_shift_click_or_a_rubber_band_are_deleted_together()
    {
        await OpenExampleAsync();

        await SelectAsync("send");
        await AddToSelectionAsync("done", KeyboardModifier.Shift);
        await Assertions.Expect(Page.Locator("[data-testid=node-properties-empty]")).ToContainTextAsync("2 steps are selected");
        await ScreenshotAsIsAsync(41, "designer-shift-selected");
        await CommandAsync(() => Page.Keyboard.PressAsync("Delete"));
        var (nodes, edges) = await CanvasGraphAsync();
        Assert.Equal(["start:trigger.manual", "draft:agent", "review:approval", "dropped:end"], nodes);
        Assert.Equal(["start|next|draft", "draft|next|review", "review|rejected|dropped"], edges);

        // A rubber band around draft and review, started on empty canvas above-left of draft.
        var draft = (await Node("draft").BoundingBoxAsync())!;
        var review = (await Node("review").BoundingBoxAsync())!;
        var (left, top) = (draft.X - 20, Math.Min(draft.Y, review.Y) - 30);
        var (right, bottom) = (review.X + review.Width + 20, Math.Max(draft.Y + draft.Height, review.Y + review.Height) + 20);
        await Page.Mouse.MoveAsync(left, top);
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(right, bottom, new() { Steps = 10 });
        await ScreenshotAsIsAsync(42, "designer-rubber-band");
        await Page.Mouse.UpAsync();
        await Assertions.Expect(Page.Locator("[data-testid=node-properties-empty]")).ToContainTextAsync("2 steps are selected");
        // X6 also selects the edges the band touches; their steps are the two selected ones.
        var selected = await SelectedAsync();
        Assert.Equal(["draft", "review"], selected.Where(id => !id.Contains('|', StringComparison.Ordinal)).Order());
        Assert.Contains("draft|next|review", selected);

        await CommandAsync(() => Page.Keyboard.PressAsync("Delete"));
        (nodes, edges) = await CanvasGraphAsync();
        Assert.Equal(["start:trigger.manual", "dropped:end"], nodes);
        Assert.Empty(edges);
        await ScreenshotAsync(43, "designer-after-multi-delete");
    }

    [Fact]
    public async Task The_delete_key_removes_a_clicked_edge_and_keeps_its_steps()
    {
        await OpenExampleAsync();

        var (x, y) = await PointOnEdgeAsync("draft|next|review", 0.3);
        await Page.Mouse.ClickAsync(x, y);
        Assert.Equal(["draft|next|review"], await SelectedAsync());
        await ScreenshotAsIsAsync(44, "designer-edge-selected");
        await CommandAsync(() => Page.Keyboard.PressAsync("Delete"));

        await Assertions.Expect(Edge("draft|next|review")).ToHaveCountAsync(0);
        var (nodes, edges) = await CanvasGraphAsync();
        Assert.Equal(Playbooks.ExampleNodes, nodes);
        Assert.Equal(Playbooks.ExampleEdges.Where(e => e != "draft|next|review"), edges);
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-dirty", "true");
        await ScreenshotAsync(45, "designer-edge-deleted");
    }

    [Fact]
    public async Task Auto_layout_moves_the_steps_left_to_right_without_changing_the_graph()
    {
        // Every step stacked on one spot: nothing readable until the layout spreads them out.
        var document = JsonNode.Parse(Playbooks.ContractExample)!;
        foreach (var node in document["nodes"]!.AsArray())
        {
            node!["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 };
        }

        var id = await App.ImportAsync(document.ToJsonString());
        await SignInAsync();
        await OpenAsync(id);
        var before = await PositionsAsync();
        await ScreenshotAsync(46, "designer-before-layout");

        await CommandAsync(() => Button("Auto-layout").ClickAsync());

        var (nodes, edges) = await CanvasGraphAsync();
        Assert.Equal(Playbooks.ExampleNodes, nodes);
        Assert.Equal(Playbooks.ExampleEdges, edges);
        var after = await PositionsAsync();
        Assert.NotEqual(before, after);
        Assert.Equal(after.Count, after.Values.Distinct().Count());
        foreach (var edge in Playbooks.ExampleEdges.Select(e => e.Split('|')))
        {
            Assert.True(after[edge[2]].X > after[edge[0]].X, $"{edge[0]} → {edge[2]} runs right to left: {after[edge[0]]} → {after[edge[2]]}");
        }

        await ExpectAllInViewAsync();

        // The server moved the steps (one undo step), so the saved version has the new positions.
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-dirty", "true");
        await Page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-saved-version", "2");
        var saved = JsonNode.Parse(await App.VersionAsync(id, 2))!["nodes"]!.AsArray();
        Assert.All(saved, n => Assert.Equal(after[n!["id"]!.GetValue<string>()],
            (n["position"]!["x"]!.GetValue<double>(), n["position"]!["y"]!.GetValue<double>())));
        await ScreenshotAsync(47, "designer-after-layout");
    }

    [Fact]
    public async Task Restoring_version_1_after_two_saves_puts_version_1_back_on_the_canvas()
    {
        var id = await OpenExampleAsync();
        var version1 = await SnapshotAsync();

        // v2: without "dropped".
        await SelectAsync("dropped");
        await CommandAsync(() => Page.Keyboard.PressAsync("Delete"));
        await Page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-saved-version", "2");

        // v3: the draft step renamed too.
        await SelectAsync("draft");
        await FillAsync(Panel.GetByLabel("Label", new() { Exact = true }), "Draft it again");
        await Page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-saved-version", "3");
        Assert.False(JsonNode.DeepEquals(version1, await SnapshotAsync()));

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Versions" }).ClickAsync();
        var rows = Page.Locator("[data-testid=version-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await ScreenshotAsync(48, "designer-versions");
        await CommandAsync(() => Button("Restore version 1").ClickAsync());

        // The same steps (ids, kinds, labels, positions) and edges; restored edges may come in another order.
        var restored = await SnapshotAsync();
        Assert.Equal(version1["nodes"]!.ToJsonString(), restored["nodes"]!.ToJsonString());
        Assert.Equal(EdgeSet(version1), EdgeSet(restored));
        await ExpectAllInViewAsync();
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-dirty", "true");
        await ScreenshotAsync(49, "designer-version-1-restored");

        // Saved again, the restored graph is the latest version: v4, the same document as v1.
        await Page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(Designer).ToHaveAttributeAsync("data-saved-version", "4");
        Assert.True(JsonNode.DeepEquals(Playbooks.WithoutPositions(await App.VersionAsync(id, 1)), Playbooks.WithoutPositions(await App.VersionAsync(id, 4))));
    }

    [Fact]
    public async Task The_question_mark_opens_the_keyboard_help()
    {
        await OpenExampleAsync();
        await Graph.ClickAsync(new() { Position = new() { X = 5, Y = 5 } });

        await Page.Keyboard.PressAsync("?");

        var dialog = Page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Keyboard shortcuts");
        await Assertions.Expect(dialog.Locator("[data-testid=shortcuts] tr")).ToHaveCountAsync(15);
        await Assertions.Expect(dialog).ToContainTextAsync("Copy / paste the selected steps");
        await ScreenshotAsync(50, "designer-keyboard-help");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
    }

    private async Task<Guid> OpenExampleAsync()
    {
        var id = await App.ImportAsync(Playbooks.ContractExample);
        await SignInAsync();
        await OpenAsync(id);
        return id;
    }

    private async Task AddToSelectionAsync(string id, KeyboardModifier modifier)
    {
        await Node(id).Locator("text").First.ClickAsync(new() { Modifiers = [modifier] });
        Assert.Contains(id, await SelectedAsync());
    }

    /// <summary>The ids of the selected steps and edges, as X6 has them.</summary>
    private async Task<List<string>> SelectedAsync() =>
        [.. JsonNode.Parse(await Page.EvaluateAsync<string>("() => JSON.stringify(window.blazorOsDesigner.graph.getSelectedCells().map((c) => c.id))"))!
            .AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>The graph as drawn: steps (id, kind, label, position) and edges.</summary>
    private async Task<JsonNode> SnapshotAsync() =>
        JsonNode.Parse(await Page.EvaluateAsync<string>("() => JSON.stringify(window.blazorOsDesigner.snapshot())"))!;

    /// <summary>Every step is drawn inside the canvas: after a fit, nothing lies outside the window.</summary>
    private async Task ExpectAllInViewAsync()
    {
        var canvas = (await Graph.BoundingBoxAsync())!;
        foreach (var id in (await PositionsAsync()).Keys)
        {
            await Assertions.Expect(Node(id)).ToHaveCountAsync(1);
            var box = (await Node(id).BoundingBoxAsync())!;
            Assert.True(box.X >= canvas.X && box.Y >= canvas.Y && box.X + box.Width <= canvas.X + canvas.Width
                && box.Y + box.Height <= canvas.Y + canvas.Height, $"{id} at {box.X},{box.Y} {box.Width}×{box.Height} is outside the canvas {canvas.X},{canvas.Y} {canvas.Width}×{canvas.Height}");
        }
    }

    private static List<string> EdgeSet(JsonNode snapshot) =>
        [.. snapshot["edges"]!.AsArray().Select(e => $"{e!["from"]}|{e["port"]}|{e["to"]}").Order(StringComparer.Ordinal)];

    private async Task<Dictionary<string, (double X, double Y)>> PositionsAsync()
    {
        var json = await Page.EvaluateAsync<string>("() => JSON.stringify(window.blazorOsDesigner.snapshot())");
        return JsonNode.Parse(json)!["nodes"]!.AsArray().ToDictionary(n => n!["id"]!.GetValue<string>(),
            n => (n!["position"]!["x"]!.GetValue<double>(), n["position"]!["y"]!.GetValue<double>()));
    }

    /// <summary>
    /// A point on an edge's line in page pixels, <paramref name="ratio"/> of the way from its source: away from the
    /// middle, where the hover tool's remove button sits.
    /// </summary>
    private async Task<(float X, float Y)> PointOnEdgeAsync(string id, double ratio)
    {
        var point = await Page.EvaluateAsync<float[]>("""
            ([id, ratio]) => {
              const graph = window.blazorOsDesigner.graph;
              const local = graph.findViewByCell(id).getPointAtRatio(ratio);
              const client = graph.localToClient(local.x, local.y);
              return [client.x, client.y];
            }
            """, new object[] { id, ratio });
        return (point[0], point[1]);
    }
}
