using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace BlazorOs.Core.Memory;

/// <summary>What a record field holds; values are checked against it on every write and import.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordFieldKind>))]
public enum RecordFieldKind
{
    Text = 0,
    Number = 1,

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    Date = 2,

    /// <summary><c>{ "amount": 1200.5, "currency": "EUR" }</c>, or the text <c>"1200.50 EUR"</c> (as CSV has it).</summary>
    Money = 3,

    /// <summary>The id or name of another item, e.g. a company record's id.</summary>
    Reference = 4,
    Email = 5,

    /// <summary>An absolute http or https address.</summary>
    Url = 6,

    /// <summary>One of <see cref="RecordField.Choices"/>.</summary>
    Choice = 7,
}

/// <summary>One field of a record type. <see cref="Name"/> is how values, CSV headers and the API name it.</summary>
public sealed record RecordField(string Name, RecordFieldKind Kind, bool Required = false, IReadOnlyList<string>? Choices = null,
    string? Label = null);

/// <summary>
/// The declared schema of a kind of canonical record (Contact, Company, Project, Deal, or one the operator defines):
/// a name, a label and fields. <see cref="Validate"/> checks a record's values field by field, reporting every problem;
/// the first field is the record's title.
/// </summary>
public sealed partial class RecordType
{
    public const int NameMaxLength = 64;
    public const int LabelMaxLength = 200;
    public const int MaxFields = 100;
    public const int TextMaxLength = 8000;

    private static readonly JsonSerializerOptions FieldJson = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private IReadOnlyList<RecordField>? _fields;

    private RecordType(Guid id, string name, string label, DateTime createdAt)
    {
        Id = id;
        Name = name;
        Label = label;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>Lower-case, e.g. <c>contact</c>; unique.</summary>
    public string Name { get; private set; }

    public string Label { get; private set; }
    public bool IsBuiltIn { get; private set; }

    /// <summary><see cref="Fields"/> as JSON, one column on both providers.</summary>
    public string FieldsJson { get; private set; } = "[]";

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyList<RecordField> Fields => _fields ??= ReadFields(FieldsJson);

    /// <summary>An operator-defined type. Throws <see cref="MemoryValidationException"/> naming each bad part.</summary>
    public static RecordType Define(string name, string label, IReadOnlyList<RecordField> fields, DateTime at)
    {
        var problems = CheckDefinition(name, label, fields);
        if (problems.Count > 0)
        {
            throw new MemoryValidationException(problems);
        }

        var type = new RecordType(Guid.CreateVersion7(), name, label.Trim(), at);
        type.SetFields(fields);
        return type;
    }

    /// <summary>New label and fields. Records already stored keep their values; they are checked again on their next change.</summary>
    public void Redefine(string label, IReadOnlyList<RecordField> fields, DateTime at)
    {
        var problems = CheckDefinition(Name, label, fields);
        if (problems.Count > 0)
        {
            throw new MemoryValidationException(problems);
        }

        Label = label.Trim();
        SetFields(fields);
        UpdatedAt = at;
    }

    /// <summary>
    /// Checks values against the fields and returns them in canonical form (numbers as numbers, money as
    /// <c>{ amount, currency }</c>, text trimmed, empty optional fields left out) with every problem found.
    /// </summary>
    public (JsonObject Values, IReadOnlyList<MemoryProblem> Problems) Validate(JsonObject? values)
    {
        var problems = new List<MemoryProblem>();
        var result = new JsonObject();
        values ??= [];
        foreach (var (name, _) in values)
        {
            if (!Fields.Any(f => f.Name == name))
            {
                problems.Add(new MemoryProblem(name, $"A {Name} has no field '{name}'. Its fields: {string.Join(", ", Fields.Select(f => f.Name))}."));
            }
        }

        foreach (var field in Fields)
        {
            var node = values[field.Name];
            if (node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>())))
            {
                if (field.Required)
                {
                    problems.Add(new MemoryProblem(field.Name, $"{field.Label ?? field.Name} is required."));
                }

                continue;
            }

            if (ReadValue(field, node) is { } value)
            {
                result[field.Name] = value;
            }
            else
            {
                problems.Add(new MemoryProblem(field.Name, Expected(field)));
            }
        }

        return (result, problems);
    }

    /// <summary>A value as one line of text: how titles, CSV cells and the search index show it.</summary>
    public static string TextOf(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonObject money when money["amount"] is { } amount => $"{amount.ToJsonString()} {money["currency"]?.GetValue<string>()}".Trim(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    internal static List<MemoryProblem> CheckDefinition(string? name, string? label, IReadOnlyList<RecordField>? fields)
    {
        var problems = new List<MemoryProblem>();
        if (name is null || !TypeName().IsMatch(name))
        {
            problems.Add(new MemoryProblem("name", "A record type's name is lower-case letters, digits and '-', starting with a letter, at most 64 characters."));
        }

        if (string.IsNullOrWhiteSpace(label) || label.Trim().Length > LabelMaxLength)
        {
            problems.Add(new MemoryProblem("label", $"A record type needs a label of 1 to {LabelMaxLength} characters."));
        }

        if (fields is null || fields.Count is 0 or > MaxFields)
        {
            problems.Add(new MemoryProblem("fields", $"A record type has 1 to {MaxFields} fields."));
            return problems;
        }

        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (field.Name is null || !FieldName().IsMatch(field.Name))
            {
                problems.Add(new MemoryProblem($"fields[{i}].name", "A field name is a letter then letters, digits or '_', at most 64 characters."));
            }
            else if (fields.Take(i).Any(f => f.Name == field.Name))
            {
                problems.Add(new MemoryProblem($"fields[{i}].name", $"'{field.Name}' is already a field."));
            }

            if (!Enum.IsDefined(field.Kind))
            {
                problems.Add(new MemoryProblem($"fields[{i}].kind", "Unknown kind."));
            }

            var choices = field.Choices ?? [];
            if (field.Kind == RecordFieldKind.Choice && (choices.Count == 0 || choices.Any(string.IsNullOrWhiteSpace)))
            {
                problems.Add(new MemoryProblem($"fields[{i}].choices", "A choice field lists its non-empty choices."));
            }

            if (field.Kind != RecordFieldKind.Choice && choices.Count > 0)
            {
                problems.Add(new MemoryProblem($"fields[{i}].choices", "Only choice fields have choices."));
            }
        }

        if (fields.Count > 0 && fields[0].Kind is not (RecordFieldKind.Text or RecordFieldKind.Email or RecordFieldKind.Reference))
        {
            problems.Add(new MemoryProblem("fields[0].kind", "The first field is the record's title: make it text, email or reference."));
        }

        return problems;
    }

    internal static string SerializeFields(IReadOnlyList<RecordField> fields) => JsonSerializer.Serialize(fields, FieldJson);

    private void SetFields(IReadOnlyList<RecordField> fields)
    {
        FieldsJson = SerializeFields([.. fields.Select(f => f with
        {
            Choices = f.Kind == RecordFieldKind.Choice ? [.. f.Choices!.Select(c => c.Trim())] : null,
            Label = string.IsNullOrWhiteSpace(f.Label) ? null : f.Label.Trim(),
        })]);
        _fields = null;
    }

    private static List<RecordField> ReadFields(string json) => JsonSerializer.Deserialize<List<RecordField>>(json, FieldJson) ?? [];

    private static JsonNode? ReadValue(RecordField field, JsonNode node)
    {
        var text = node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>().Trim() : null;
        var number = node is JsonValue n && n.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(n.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (decimal?)null;
        return field.Kind switch
        {
            RecordFieldKind.Text or RecordFieldKind.Reference => text is { Length: > 0 and <= TextMaxLength } ? text : null,
            RecordFieldKind.Number => number ?? (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null),
            RecordFieldKind.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : null,
            RecordFieldKind.Money => Money(node, text),
            RecordFieldKind.Email => text is { Length: <= 254 } && Email().IsMatch(text) ? text : null,
            RecordFieldKind.Url => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.ToString() : null,
            RecordFieldKind.Choice => field.Choices?.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase)),
            _ => null,
        };
    }

    private static JsonObject? Money(JsonNode node, string? text)
    {
        if (node is JsonObject money && money["amount"] is JsonValue amount && amount.GetValueKind() == JsonValueKind.Number
            && money["currency"] is JsonValue currency && currency.GetValueKind() == JsonValueKind.String)
        {
            text = $"{amount.ToJsonString()} {currency.GetValue<string>()}";
        }

        var match = text is null ? null : MoneyText().Match(text);
        return match is { Success: true } && decimal.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? new JsonObject { ["amount"] = value, ["currency"] = match.Groups[2].Value.ToUpperInvariant() }
            : null;
    }

    private static string Expected(RecordField field) => field.Kind switch
    {
        RecordFieldKind.Number => "Expected a number, e.g. 42.5.",
        RecordFieldKind.Date => "Expected a date 'yyyy-MM-dd', e.g. 2026-12-31.",
        RecordFieldKind.Money => "Expected an amount with a currency, e.g. \"1200.50 EUR\" or { \"amount\": 1200.5, \"currency\": \"EUR\" }.",
        RecordFieldKind.Email => "Expected an email address, e.g. ana@example.com.",
        RecordFieldKind.Url => "Expected an http or https address, e.g. https://example.com.",
        RecordFieldKind.Choice => $"Expected one of: {string.Join(", ", field.Choices ?? [])}.",
        _ => $"Expected text of 1 to {TextMaxLength} characters.",
    };

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s+([A-Za-z]{3})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex MoneyText();
}
