using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using Microsoft.AspNetCore.Components;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// Edits one setting of a step, chosen by its <see cref="SettingField.Type"/> from the catalog: text and templates
/// (with a Liquid hint and preview), scripts, numbers, switches, choices, check lists (a tool allow-list), one-per-line
/// lists, name = value lines and JSON. An empty value removes the setting.
/// </summary>
public sealed partial class SettingEditor
{
    private string? _text;
    private string? _localError;
    private JsonNode? _shown;

    [Parameter, EditorRequired]
    public SettingField Field { get; set; } = default!;

    [Parameter]
    public JsonNode? Value { get; set; }

    [Parameter]
    public EventCallback<JsonNode?> ValueChanged { get; set; }

    /// <summary>The validator's message for this setting, shown under it.</summary>
    [Parameter]
    public string? Error { get; set; }

    [Parameter]
    public TemplateHints? Hints { get; set; }

    /// <summary>Why the step ignores this setting now (another setting makes it meaningless): shown disabled, with the reason.</summary>
    [Parameter]
    public string? Ignored { get; set; }

    /// <summary>The playbooks a sub-playbook step may run (id, name).</summary>
    [Parameter]
    public IReadOnlyList<(Guid Id, string Name)> Playbooks { get; set; } = [];

    internal static string Humanize(string name)
    {
        var words = string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : c.ToString()));
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    private string Label => Humanize(Field.Name);

    private int Lines => Field.Type is SettingType.MultilineText or SettingType.Json or SettingType.KeyValues or SettingType.StringList ? 3 : 1;

    private bool Monospace => Field.Type is SettingType.Script or SettingType.Json or SettingType.Cron;

    private string? Placeholder => Field.Type switch
    {
        SettingType.KeyValues => "name = value (one per line)",
        SettingType.StringList => "one per line",
        _ => Field.Default,
    };

    private string Description => Ignored ?? Field.Description;

    private string Helper => Ignored ?? (Field.Template && Hints is not null ? $"{Field.Description} {Hints.Hint}" : Field.Description);

    private string? TextValue => Value?.GetValueKind() == JsonValueKind.String ? Value.GetValue<string>() : null;

    private double? NumberValue => Value?.GetValueKind() == JsonValueKind.Number ? Value.GetValue<double>() : null;

    private bool BoolValue => Value?.GetValueKind() == JsonValueKind.True;

    private List<string> ListValue => Value is JsonArray items ? [.. items.Select(i => i?.ToString() ?? "")] : [];

    protected override void OnParametersSet()
    {
        // Keep what is being typed unless the value really changed (undo, another step selected).
        if (!ReferenceEquals(_shown, Value) && !JsonNode.DeepEquals(_shown, Value))
        {
            _text = TextOf(Value);
            _localError = null;
        }

        _shown = Value;
    }

    private string? TextOf(JsonNode? value) => Field.Type switch
    {
        SettingType.StringList => value is JsonArray items ? string.Join('\n', items.Select(i => i?.ToString())) : null,
        SettingType.KeyValues => value is JsonObject entries
            ? string.Join('\n', entries.Select(e => $"{e.Key} = {(e.Value?.GetValueKind() == JsonValueKind.String ? e.Value.GetValue<string>() : e.Value?.ToJsonString())}"))
            : null,
        SettingType.Json => value?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
        _ => value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString(),
    };

    private async Task TextChangedAsync(string? text)
    {
        _text = text;
        _localError = null;
        JsonNode? value;
        try
        {
            value = Parse(text);
        }
        catch (FormatException ex)
        {
            _localError = ex.Message;
            return;
        }

        await EmitAsync(value);
    }

    private JsonNode? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        switch (Field.Type)
        {
            case SettingType.StringList:
                return new JsonArray([.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => (JsonNode)JsonValue.Create(l))]);
            case SettingType.KeyValues:
                var entries = new JsonObject();
                foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
                {
                    var at = line.IndexOf('=', StringComparison.Ordinal);
                    if (at <= 0)
                    {
                        throw new FormatException($"Write one “name = value” per line (“{line}” has no =).");
                    }

                    var raw = line[(at + 1)..].Trim();
                    entries[line[..at].Trim()] = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                        ? JsonValue.Create(number)
                        : raw is "true" or "false" ? JsonValue.Create(raw == "true") : JsonValue.Create(raw);
                }

                return entries;
            case SettingType.Json:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException ex)
                {
                    throw new FormatException($"Not valid JSON: {ex.Message}", ex);
                }

            default:
                return JsonValue.Create(text);
        }
    }

    private Task NumberChangedAsync(double? number) => EmitAsync(number is { } n ? JsonValue.Create(n) : null);

    private Task BoolChangedAsync(bool on) => EmitAsync(JsonValue.Create(on));

    private Task ChoiceToggledAsync(string choice, bool on)
    {
        var list = ListValue.Where(c => c != choice).ToList();
        if (on)
        {
            list.Add(choice);
        }

        var ordered = (Field.Choices ?? []).Where(list.Contains).ToList();
        return EmitAsync(ordered.Count == 0 ? null : new JsonArray([.. ordered.Select(c => (JsonNode)JsonValue.Create(c))]));
    }

    private async Task EmitAsync(JsonNode? value)
    {
        if (JsonNode.DeepEquals(value, Value))
        {
            return;
        }

        _shown = value;
        await ValueChanged.InvokeAsync(value);
    }
}
