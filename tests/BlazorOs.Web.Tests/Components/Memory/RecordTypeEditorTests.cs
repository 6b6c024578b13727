using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Bunit.TestDoubles;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>
/// The record type editor saves a type only when the type's own checks pass, and shows each problem beside the field
/// that has it; a saved type checks the records written after it.
/// </summary>
public sealed class RecordTypeEditorTests : StoreBunitContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_type_with_its_fields_is_saved_and_then_checks_records()
    {
        var editor = RenderEditor(null);
        Input(editor, "Name", "supplier");
        Input(editor, "Label", "Supplier");
        Click(editor, "Add field");
        FieldInput(editor, 1, "Field name", "tier");
        ChooseKind(editor, 1, "Choice");
        FieldInput(editor, 1, "Choices", "gold, silver");
        editor.Find("[data-field-row='1'] input[type='checkbox']").Change(true);

        Click(editor, "Save type");

        editor.WaitForAssertion(() => Assert.EndsWith("/memory/records?type=supplier", Get<BunitNavigationManager>().Uri,
            StringComparison.Ordinal));
        var type = (await Get<RecordService>().TypeAsync("supplier", Ct))!;
        Assert.Equal("Supplier", type.Label);
        Assert.Equal(["name", "tier"], type.Fields.Select(f => f.Name));
        Assert.Equal((RecordFieldKind.Choice, true), (type.Fields[1].Kind, type.Fields[1].Required));
        Assert.Equal(["gold", "silver"], type.Fields[1].Choices!);
        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => Get<RecordService>().AddAsync("supplier",
            new System.Text.Json.Nodes.JsonObject { ["name"] = "Initech", ["tier"] = "bronze" }, null, Operator(), Ct));
        Assert.Equal("tier", Assert.Single(refused.Problems).Field);
    }

    [Fact]
    public async Task Every_problem_is_shown_beside_its_field_and_nothing_is_saved()
    {
        var editor = RenderEditor(null);
        Input(editor, "Name", "Bad Name");
        Click(editor, "Add field");
        FieldInput(editor, 1, "Field name", "name");
        ChooseKind(editor, 1, "Choice");

        Click(editor, "Save type");

        var problems = editor.WaitForElement("[data-testid='type-problems']").TextContent;
        Assert.Contains("Nothing was saved", problems, StringComparison.Ordinal);
        Assert.Contains("Field 2 (name): 'name' is already a field.", problems, StringComparison.Ordinal);
        Assert.Contains("A choice field lists its non-empty choices.", problems, StringComparison.Ordinal);
        Assert.Contains("label", problems, StringComparison.Ordinal);
        Assert.Contains("'name' is already a field.", editor.Find("[data-field-row='1']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(await Get<RecordService>().TypesAsync(Ct), t => t.Name == "Bad Name");
    }

    [Fact]
    public async Task A_built_in_type_keeps_its_name_and_can_gain_a_field()
    {
        var editor = RenderEditor("contact");
        editor.WaitForAssertion(() => Assert.Equal(5, editor.FindAll("[data-field-row]").Count));
        Assert.True(editor.FindAll("input").First(i => Label(editor, i) == "Name").HasAttribute("disabled"));
        Assert.DoesNotContain(editor.FindAll("button"), b => b.TextContent.Contains("Delete type", StringComparison.Ordinal));

        Click(editor, "Add field");
        FieldInput(editor, 5, "Field name", "linkedin");
        ChooseKind(editor, 5, "Url");
        Click(editor, "Save type");

        editor.WaitForAssertion(() => Assert.EndsWith("/memory/records?type=contact", Get<BunitNavigationManager>().Uri,
            StringComparison.Ordinal));
        var contact = (await Get<RecordService>().TypeAsync("contact", Ct))!;
        Assert.Equal((RecordFieldKind.Url, 6), (contact.Fields[^1].Kind, contact.Fields.Count));
    }

    private IRenderedComponent<MudPopoverProvider>? _popovers;

    private IRenderedComponent<RecordTypeEditor> RenderEditor(string? name)
    {
        _popovers = Render<MudPopoverProvider>();
        return Render<RecordTypeEditor>(p => p.Add(e => e.TypeName, name));
    }

    private Provenance Operator() => Provenance.Of(ProvenanceSource.Operator, "operator", Get<TimeProvider>().GetUtcNow().UtcDateTime);

    private static void Input(IRenderedComponent<RecordTypeEditor> editor, string label, string value) =>
        editor.FindAll("input").First(i => Label(editor, i) == label && !i.HasAttribute("disabled")).Change(value);

    private static void FieldInput(IRenderedComponent<RecordTypeEditor> editor, int row, string label, string value) =>
        editor.FindAll($"[data-field-row='{row}'] input").First(i => Label(editor, i) == label).Change(value);

    /// <summary>Opens the row's kind select and picks <paramref name="kind"/> from its list (drawn by the popover provider).</summary>
    private void ChooseKind(IRenderedComponent<RecordTypeEditor> editor, int row, string kind)
    {
        editor.Find($"[data-field-row='{row}'] .mud-select .mud-input-control").MouseDown();
        var popovers = _popovers!;
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Trim() == kind));
        popovers.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim() == kind).Click();
        editor.WaitForAssertion(() => Assert.Equal(kind, editor.Find($"[data-field-row='{row}'] .mud-select input").GetAttribute("value")));
    }

    private static void Click(IRenderedComponent<RecordTypeEditor> editor, string text) =>
        editor.FindAll("button").First(b => b.TextContent.Trim() == text).Click();

    private static string? Label(IRenderedComponent<RecordTypeEditor> editor, AngleSharp.Dom.IElement input) =>
        input.Id is { Length: > 0 } id ? editor.FindAll($"label[for='{id}']").FirstOrDefault()?.TextContent.Trim().TrimEnd('*').Trim() : null;
}
