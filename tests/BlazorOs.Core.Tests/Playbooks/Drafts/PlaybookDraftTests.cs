using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Playbooks.Drafts;

namespace BlazorOs.Core.Tests.Playbooks.Drafts;

/// <summary>
/// The designer's server-side model: every change is a command, refused commands change nothing, undo and redo walk
/// the states back and forth, and what each step changed comes out as a patch for the canvas.
/// </summary>
public sealed class PlaybookDraftTests
{
    private static PlaybookDraft Example() => PlaybookDraft.Open(PlaybookDocuments.ContractExample, PlaybookDocuments.Catalog);

    [Fact]
    public void The_contract_example_opens_and_writes_back_as_the_canonical_document()
    {
        var draft = Example();

        var canonical = PlaybookDocument.ToJson(PlaybookDocuments.Parse(PlaybookDocuments.ContractExample).Definition!);
        var written = draft.ToJson();

        // Positions are written for every node (the canvas needs them); everything else is the same.
        Assert.Equal(StripPositions(canonical), StripPositions(written));
        Assert.True(PlaybookDocuments.Parse(written).IsValid);
        Assert.False(draft.IsDirty);
    }

    [Fact]
    public void Adding_after_a_step_places_and_connects_the_new_step()
    {
        var draft = Example();

        var change = draft.Execute(new AddNodeCommand("delay", 0, 0, After: "send"));

        var added = Assert.Single(change.AddedNodes);
        Assert.Equal(("delay", "Delay"), (added.Id, added.Label));
        Assert.Equal(draft.State.Node("send")!.X + DraftCommand.StepGap, added.X);
        Assert.Contains(change.AddedEdges, e => e is { From: "send", Port: "next", To: "delay" });
        Assert.True(draft.IsDirty);
    }

    [Fact]
    public void A_refused_connection_changes_nothing_and_says_why()
    {
        var draft = Example();
        var before = draft.State;

        var selfLoop = Assert.Throws<DraftCommandException>(() => draft.Execute(new ConnectCommand("draft", "next", "draft")));
        var duplicate = Assert.Throws<DraftCommandException>(() => draft.Execute(new ConnectCommand("draft", "next", "review")));
        var intoTrigger = Assert.Throws<DraftCommandException>(() => draft.Execute(new ConnectCommand("send", "next", "start")));
        var wrongPort = Assert.Throws<DraftCommandException>(() => draft.Execute(new ConnectCommand("review", "next", "send")));

        Assert.Equal("A step cannot lead back to itself.", selfLoop.Message);
        Assert.Contains("already leads to 'review'", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("is the trigger", intoTrigger.Message, StringComparison.Ordinal);
        Assert.Contains("its ports: approved, rejected, error", wrongPort.Message, StringComparison.Ordinal);
        Assert.Same(before, draft.State);
        Assert.False(draft.CanUndo);
    }

    [Fact]
    public void A_join_refuses_a_conditional_branch()
    {
        var draft = Example();
        draft.Execute(new AddNodeCommand("join", 600, 300));

        var refused = Assert.Throws<DraftCommandException>(() => draft.Execute(new ConnectCommand("review", "rejected", "join")));

        Assert.Contains("'rejected' port of 'review' may never fire", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undo_and_redo_walk_back_and_forth_and_report_the_difference()
    {
        var draft = Example();
        var original = draft.State;
        draft.Execute(new MoveNodesCommand([new NodeMove("draft", 400, 123)]));
        draft.Execute(new DeleteCommand(["review"], []));

        Assert.Equal("Delete 1 step", draft.UndoDescription);
        var undone = draft.Undo();
        Assert.Equal("review", Assert.Single(undone.AddedNodes).Id);
        Assert.Equal(3, undone.AddedEdges.Count);
        Assert.Equal("Move 1 step", draft.UndoDescription);
        Assert.Equal("Delete 1 step", draft.RedoDescription);

        draft.Undo();
        Assert.Same(original, draft.State);
        Assert.False(draft.IsDirty);

        var redone = draft.Redo();
        var moved = Assert.Single(redone.ChangedNodes);
        Assert.Equal((400d, 120d), (moved.X, moved.Y));
        Assert.True(draft.CanRedo);

        draft.Execute(new AddNodeCommand("end", 0, 400));
        Assert.False(draft.CanRedo);
    }

    [Fact]
    public void Renaming_a_step_carries_its_edges_and_a_taken_id_is_refused()
    {
        var draft = Example();
        var review = draft.State.Node("review")!;

        draft.Execute(new UpdateNodeCommand("review", "approve", "Send?", review.Settings, null, null));

        Assert.Null(draft.State.Node("review"));
        Assert.Equal(3, draft.State.Edges.Count(e => e.From == "approve" || e.To == "approve"));
        var taken = Assert.Throws<DraftCommandException>(() =>
            draft.Execute(new UpdateNodeCommand("approve", "send", null, review.Settings, null, null)));
        Assert.Equal("The id 'send' is taken by another step.", taken.Message);
    }

    [Fact]
    public void Removing_a_switch_case_removes_the_edges_from_its_port()
    {
        var draft = Example();
        draft.Execute(new AddNodeCommand("switch", 300, 300, After: "send"));
        draft.Execute(new UpdateNodeCommand("switch", "switch", null,
            new JsonObject { ["expression"] = "inputs.tier", ["cases"] = new JsonArray("gold", "silver") }, null, null));
        draft.Execute(new ConnectCommand("switch", "gold", "dropped"));

        var change = draft.Execute(new UpdateNodeCommand("switch", "switch", null,
            new JsonObject { ["expression"] = "inputs.tier", ["cases"] = new JsonArray("silver") }, null, null));

        Assert.Equal(["switch|gold|dropped"], change.RemovedEdges);
    }

    [Fact]
    public void Paste_copies_steps_and_the_edges_among_them_under_new_ids()
    {
        var draft = Example();
        var copied = new[] { draft.State.Node("send")!, draft.State.Node("done")! };

        var change = draft.Execute(new PasteCommand(copied, [.. draft.State.Edges], 40, 40));

        Assert.Equal(["http", "end"], change.AddedNodes.Select(n => n.Id));
        Assert.Equal("http|next|end", Assert.Single(change.AddedEdges).Id);
    }

    [Fact]
    public void Moving_to_the_same_place_is_no_change_and_no_undo_step()
    {
        var draft = Example();
        var start = draft.State.Node("start")!;

        var change = draft.Execute(new MoveNodesCommand([new NodeMove("start", start.X, start.Y)]));

        Assert.True(change.IsEmpty);
        Assert.False(draft.CanUndo);
    }

    [Fact]
    public void A_version_diff_names_what_changed()
    {
        var older = DraftDocument.Read(PlaybookDocuments.ContractExample);
        var draft = Example();
        draft.Execute(new AddNodeCommand("delay", 0, 0, After: "send"));
        draft.Execute(new DeleteCommand(["dropped"], []));
        draft.Execute(new MoveNodesCommand([new NodeMove("start", 500, 500)]));
        draft.Execute(new UpdateInfoCommand(draft.State.Info with { Name = "Lead follow-up 2" }));

        var diff = VersionDiff.Between(older, draft.State);

        Assert.Equal("+1 step (delay) · −1 step (dropped) · 1 moved · +1/−1 edges · name changed", diff.Summary);
        Assert.Equal("First version: 6 steps, 5 edges", VersionDiff.Between(null, older).Summary);
    }

    [Fact]
    public void Declared_memory_scopes_survive_the_designer_and_a_bad_pattern_is_named_not_dropped()
    {
        // A playbook limited to client scopes must not come back from the designer allowed to touch every scope.
        var limited = JsonNode.Parse(PlaybookDocuments.ContractExample)!.AsObject();
        limited["memory"] = new JsonObject { ["read"] = new JsonArray("business", "clients:*"), ["write"] = new JsonArray("clients:*") };
        var canonical = PlaybookDocument.ToJson(PlaybookDocuments.Parse(limited.ToJsonString()).Definition!);

        var state = DraftDocument.Read(canonical);
        Assert.Equal(["business", "clients:*"], state.Info.Memory!.Read);
        Assert.Equal(StripPositions(canonical), StripPositions(DraftDocument.Write(state)));
        var access = PlaybookDocuments.Parse(DraftDocument.Write(state)).Definition!.Memory;
        Assert.False(access.Write.Allows("business"));
        Assert.True(access.Write.Allows("clients:acme"));

        var typo = state with { Info = state.Info with { Memory = state.Info.Memory with { Write = ["Clients Acme"] } } };
        var problems = PlaybookDocuments.Parse(DraftDocument.Write(typo)).Problems;
        Assert.Contains(problems, p => p.Field == "memory.write[0]");
        Assert.Contains("memory scopes", VersionDiff.Between(state, typo).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_playbook_does_not_open()
    {
        Assert.Throws<FormatException>(() => DraftDocument.Read("[1, 2]"));
        Assert.Throws<FormatException>(() => DraftDocument.Read("{ nope"));
    }

    private static string StripPositions(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        foreach (var node in document["nodes"]!.AsArray())
        {
            node!.AsObject().Remove("position");
        }

        return document.ToJsonString();
    }
}
