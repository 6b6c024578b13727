using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BlazorOs.Core.Memory;

/// <summary>
/// A new fact as a client sends it, not yet checked. <c>value</c> is JSON typed by <c>kind</c> (text by default): a string
/// for text and reference, a number for number, <c>"yyyy-MM-dd"</c> for date, and a number with <c>currency</c> (ISO 4217)
/// for money. <c>scope</c> defaults to <c>business</c>, <c>confidence</c> (0 to 1) to 1.
/// </summary>
public sealed record FactInput(string? Subject, string? Predicate, JsonNode? Value, string? Kind = null, string? Currency = null,
    string? Scope = null, double? Confidence = null);

/// <summary>
/// A new value for a stored fact, not yet checked: it becomes the fact's next revision. <c>kind</c> and <c>confidence</c>
/// default to the fact's; <c>reason</c> says why. <c>revision</c>, when given, is the revision the writer read: the change
/// is refused if the fact has moved on since.
/// </summary>
public sealed record FactChange(JsonNode? Value, string? Kind = null, string? Currency = null, double? Confidence = null,
    string? Reason = null, int? Revision = null);

/// <summary>Checks client input field by field and reports every problem at once, named as the client named the field.</summary>
internal static partial class FactInputReader
{
    private const int ValueMaxLength = 8000;

    public static NewFact Read(FactInput input)
    {
        var problems = new List<MemoryProblem>();
        var subject = RequireName(input.Subject, "subject", problems);
        var predicate = RequireName(input.Predicate, "predicate", problems);
        var value = ReadValue(input.Kind, FactValueKind.Text, input.Value, input.Currency, problems);
        var confidence = ReadConfidence(input.Confidence, 1.0, problems);
        var scope = string.IsNullOrWhiteSpace(input.Scope) ? Fact.DefaultScope : input.Scope;
        if (!MemoryScope.IsValid(scope))
        {
            problems.Add(new MemoryProblem("scope", $"'{Shorten(scope)}' is not a scope: use {MemoryScope.FormatDescription}."));
        }

        return problems.Count > 0 ? throw new MemoryValidationException(problems) : new NewFact(subject, predicate, value!, scope, confidence);
    }

    public static (FactValue Value, double Confidence) Read(FactChange change, Fact current)
    {
        var problems = new List<MemoryProblem>();
        var value = ReadValue(change.Kind, current.ValueKind, change.Value, change.Currency, problems);
        var confidence = ReadConfidence(change.Confidence, current.Confidence, problems);
        if (change.Reason is { } reason && reason.Trim().Length > FactRevision.ReasonMaxLength)
        {
            problems.Add(new MemoryProblem("reason", $"A reason has at most {FactRevision.ReasonMaxLength} characters."));
        }

        return problems.Count > 0 ? throw new MemoryValidationException(problems) : (value!, confidence);
    }

    /// <summary>The kinds by their API names, lower case: text, number, date, money, reference.</summary>
    public static string KindNames => string.Join(", ", Enum.GetNames<FactValueKind>().Select(n => n.ToLowerInvariant()));

    private static string RequireName(string? text, string field, List<MemoryProblem> problems)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > Fact.SubjectMaxLength)
        {
            problems.Add(new MemoryProblem(field, $"A fact needs a {field} of 1 to {Fact.SubjectMaxLength} characters."));
        }

        return trimmed;
    }

    private static double ReadConfidence(double? confidence, double fallback, List<MemoryProblem> problems)
    {
        if (confidence is { } given && (double.IsNaN(given) || given is < 0 or > 1))
        {
            problems.Add(new MemoryProblem("confidence", "Confidence is a number from 0 to 1."));
            return fallback;
        }

        return confidence ?? fallback;
    }

    private static FactValue? ReadValue(string? kindName, FactValueKind fallback, JsonNode? value, string? currency,
        List<MemoryProblem> problems)
    {
        var kind = fallback;
        if (kindName is not null && (!Enum.TryParse(kindName, ignoreCase: true, out kind) || !Enum.IsDefined(kind)
            || !kindName.All(char.IsLetter)))
        {
            problems.Add(new MemoryProblem("kind", $"Unknown kind '{Shorten(kindName)}'. Use one of: {KindNames}."));
            return null;
        }

        if (kind != FactValueKind.Money && currency is not null)
        {
            problems.Add(new MemoryProblem("currency", "Only money values have a currency."));
        }

        if (kind == FactValueKind.Money && (currency is null || !CurrencyCode().IsMatch(currency)))
        {
            problems.Add(new MemoryProblem("currency", "A money value needs a three-letter ISO 4217 currency, e.g. EUR."));
        }

        var parsed = kind switch
        {
            FactValueKind.Text => String(value) is { } text ? FactValue.OfText(text) : null,
            FactValueKind.Reference => String(value) is { } reference ? FactValue.OfReference(reference) : null,
            FactValueKind.Number => Number(value) is { } number && double.IsFinite(number) ? FactValue.OfNumber(number) : null,
            FactValueKind.Date => String(value) is { } date
                && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    ? FactValue.OfDate(day)
                    : null,
            FactValueKind.Money => Amount(value) is { } amount ? FactValue.OfMoney(amount, currency ?? string.Empty) : null,
            _ => null,
        };
        if (parsed is null)
        {
            problems.Add(new MemoryProblem("value", kind switch
            {
                FactValueKind.Number => "A number value is a JSON number, e.g. 42.5.",
                FactValueKind.Date => "A date value is a string 'yyyy-MM-dd', e.g. \"2026-12-31\".",
                FactValueKind.Money => "A money value is a JSON number (the amount) with a 'currency', e.g. 1200.50 and \"EUR\".",
                _ => $"A {kind.ToString().ToLowerInvariant()} value is a non-empty JSON string of at most {ValueMaxLength} characters.",
            }));
        }

        return parsed;
    }

    private static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() is { Length: > 0 and <= ValueMaxLength } text
            ? text
            : null;

    // Parsed from the JSON text: a node built in code (JsonValue.Create(45)) holds an int, not a double, and
    // TryGetValue<double> would refuse it.
    private static double? Number(JsonNode? node) =>
        IsNumber(node) && double.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static decimal? Amount(JsonNode? node) =>
        IsNumber(node) && decimal.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) ? amount : null;

    private static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("^[A-Za-z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();
}
