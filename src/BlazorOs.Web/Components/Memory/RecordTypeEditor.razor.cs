using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>
/// Defines or redefines a record type: name, label, and fields with kind, required and choices. The type's own checks
/// run on save and every problem is shown beside its field; nothing is saved while one remains.
/// </summary>
public sealed partial class RecordTypeEditor
{
    private const string NameField = "name";
    private const string LabelField = "label";
    private readonly List<BreadcrumbItem> _crumbs = [new("Memory", "/memory"), new("Records", "/memory/records"), new("Type", null, disabled: true)];
    private List<FieldRow> _fields = [];
    private RecordType? _existing;
    private string _name = string.Empty;
    private string _label = string.Empty;
    private IReadOnlyList<MemoryProblem> _problems = [];
    private bool _notFound;
    private bool _saving;

    [Parameter]
    public string? TypeName { get; set; }

    [Inject]
    private RecordService Records { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private string Title => _existing is null ? "New record type" : $"Record type: {_existing.Label}";

    protected override async Task OnParametersSetAsync()
    {
        _problems = [];
        if (TypeName is null)
        {
            _existing = null;
            _fields = [new FieldRow { Name = "name", Label = "Name", Kind = RecordFieldKind.Text, Required = true }];
            return;
        }

        _existing = await Records.TypeAsync(TypeName);
        _notFound = _existing is null;
        if (_existing is not null)
        {
            _name = _existing.Name;
            _label = _existing.Label;
            _fields = [.. _existing.Fields.Select(FieldRow.Of)];
        }
    }

    private void AddField() => _fields.Add(new FieldRow { Name = string.Empty, Kind = RecordFieldKind.Text });

    private void Move(int index, int by)
    {
        var row = _fields[index];
        _fields.RemoveAt(index);
        _fields.Insert(index + by, row);
    }

    private async Task SaveAsync()
    {
        _saving = true;
        try
        {
            var saved = await Records.SaveTypeAsync(new RecordTypeInput(_name.Trim(), _label, [.. _fields.Select(f => f.ToField())]));
            Snackbar.Add($"Record type {saved.Label} saved.", Severity.Success);
            Navigation.NavigateTo($"/memory/records?type={saved.Name}");
        }
        catch (MemoryValidationException ex)
        {
            _problems = ex.Problems;
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task DeleteAsync()
    {
        if (await Dialogs.ShowMessageBoxAsync("Delete this record type?", $"{_existing!.Label} is removed. A type that still has records is kept.",
                yesText: "Delete", cancelText: "Keep") != true)
        {
            return;
        }

        if (await Records.DeleteTypeAsync(_existing.Name))
        {
            Snackbar.Add($"Record type {_existing.Label} deleted.", Severity.Success);
            Navigation.NavigateTo("/memory/records");
        }
        else
        {
            Snackbar.Add($"{_existing.Label} still has records: delete or move them first.", Severity.Warning);
        }
    }

    private const string NamePart = "name";
    private const string KindPart = "kind";
    private const string ChoicesPart = "choices";

    /// <summary>The problem with one part of the field at <paramref name="index"/>, as the type names it (<c>fields[2].name</c>).</summary>
    private string? FieldProblem(int index, string part) => ProblemOf($"fields[{index}].{part}");

    private bool Has(string field) => _problems.Any(p => p.Field == field);

    private string? ProblemOf(string field) => string.Join(" ", _problems.Where(p => p.Field == field).Select(p => p.Message)) is { Length: > 0 } text
        ? text
        : null;

    /// <summary>"fields[2].name" reads as "Field 3 (email)".</summary>
    private string Where(string field)
    {
        var match = System.Text.RegularExpressions.Regex.Match(field, @"^fields\[(\d+)\]");
        return match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < _fields.Count
            ? $"Field {i + 1} ({(_fields[i].Name is { Length: > 0 } n ? n : "unnamed")})"
            : field;
    }

    /// <summary>One field as the editor holds it: choices as comma-separated text.</summary>
    private sealed class FieldRow
    {
        public string Name { get; set; } = string.Empty;
        public string? Label { get; set; }
        public RecordFieldKind Kind { get; set; }
        public bool Required { get; set; }
        public string? Choices { get; set; }

        public static FieldRow Of(RecordField field) => new()
        {
            Name = field.Name,
            Label = field.Label,
            Kind = field.Kind,
            Required = field.Required,
            Choices = field.Choices is { } choices ? string.Join(", ", choices) : null,
        };

        public RecordField ToField() => new(Name.Trim(), Kind, Required,
            Kind == RecordFieldKind.Choice ? [.. (Choices ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : null,
            Label);
    }
}
