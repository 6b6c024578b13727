using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cronos;

namespace BlazorOs.Core.Activities;

/// <summary>
/// Checks a node's settings against its kind's <see cref="ActivityDescriptor.Settings"/>: unknown names, required
/// values, JSON types, choices, Liquid and JavaScript syntax, cron expressions, time zones, dates and playbook ids.
/// The designer renders the same fields, so what it offers and what the validator accepts cannot drift apart.
/// Rules only one kind has (ranges, URLs, unique switch cases) are added by that activity.
/// </summary>
internal sealed class SettingsValidator(ITemplateRenderer templates, IScriptEvaluator scripts)
{
    public List<SettingProblem> Check(ActivityDescriptor descriptor, JsonObject settings)
    {
        var problems = new List<SettingProblem>();
        var fields = descriptor.Settings.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var (name, _) in settings)
        {
            if (!fields.ContainsKey(name))
            {
                problems.Add(new SettingProblem(name, fields.Count == 0
                    ? $"Unknown setting '{name}': {descriptor.Kind} takes no settings."
                    : $"Unknown setting '{name}'. Known: {string.Join(", ", fields.Keys)}."));
            }
        }

        foreach (var field in descriptor.Settings)
        {
            var value = settings[field.Name];
            if (value is null)
            {
                if (field.Required)
                {
                    problems.Add(new SettingProblem(field.Name, "A value is required."));
                }

                continue;
            }

            if (CheckValue(field, value) is { } message)
            {
                problems.Add(new SettingProblem(field.Name, message));
            }
        }

        return problems;
    }

    /// <summary>Why a Liquid template does not parse, or null.</summary>
    public string? CheckTemplate(string template) => templates.Check(template) is { } error ? $"The template does not parse: {error}" : null;

    private string? CheckValue(SettingField field, JsonNode value) => field.Type switch
    {
        SettingType.Text or SettingType.MultilineText => CheckText(field, value),
        SettingType.Script => IsString(value, out var script)
            ? string.IsNullOrWhiteSpace(script)
                ? "The script is empty."
                : scripts.Check(script) is { } error ? $"The script does not parse: {error}" : null
            : "Must be a string holding a JavaScript expression.",
        SettingType.Number => value.GetValueKind() == JsonValueKind.Number ? null : "Must be a number.",
        SettingType.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : "Must be true or false.",
        SettingType.Choice => IsString(value, out var choice) && field.Choices!.Contains(choice, StringComparer.Ordinal)
            ? null
            : $"Must be one of: {string.Join(", ", field.Choices!)}.",
        SettingType.StringList => CheckStringList(field, value),
        SettingType.KeyValues => CheckKeyValues(field, value),
        SettingType.Json => value.GetValueKind() == JsonValueKind.Object ? null : "Must be a JSON object.",
        SettingType.PlaybookRef => IsString(value, out var id) && Guid.TryParse(id, out _) ? null : "Must be the id (a GUID) of a playbook.",
        SettingType.Cron => IsString(value, out var cron) ? CheckCron(cron) : "Must be a cron expression such as \"0 9 * * 1-5\".",
        SettingType.TimeZone => IsString(value, out var zone) && TryFindTimeZone(zone, out _)
            ? null
            : "Must be a time zone id such as \"Europe/Berlin\" or \"UTC\".",
        SettingType.DateTime => IsString(value, out var date)
            ? field.Template && HasTemplateSyntax(date)
                ? CheckTemplate(date)
                : TryParseDate(date, out _) ? null : "Must be an ISO 8601 date and time such as \"2027-01-31T09:00:00Z\"."
            : "Must be an ISO 8601 date and time.",
        _ => null,
    };

    private string? CheckText(SettingField field, JsonNode value)
    {
        if (!IsString(value, out var text))
        {
            return "Must be a string.";
        }

        if (field.Required && string.IsNullOrWhiteSpace(text))
        {
            return "A value is required.";
        }

        return field.Template ? CheckTemplate(text) : null;
    }

    private string? CheckStringList(SettingField field, JsonNode value)
    {
        if (value is not JsonArray items)
        {
            return "Must be a list of strings.";
        }

        if (field.Required && items.Count == 0)
        {
            return "Needs at least one entry.";
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null || !IsString(items[i]!, out var item))
            {
                return $"Entry {i + 1} must be a string.";
            }

            if (field.Choices is { } choices && !choices.Contains(item, StringComparer.Ordinal))
            {
                return $"Entry {i + 1} ('{item}') must be one of: {string.Join(", ", choices)}.";
            }

            if (field.Template && CheckTemplate(item) is { } error)
            {
                return $"Entry {i + 1}: {error}";
            }
        }

        return null;
    }

    private string? CheckKeyValues(SettingField field, JsonNode value)
    {
        if (value is not JsonObject entries)
        {
            return "Must be an object of names and values.";
        }

        foreach (var (key, entry) in entries)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                return "Names may not be empty.";
            }

            switch (entry?.GetValueKind())
            {
                case JsonValueKind.String when field.Template && CheckTemplate(entry.GetValue<string>()) is { } error:
                    return $"'{key}': {error}";
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    break;
                default:
                    return $"'{key}' must be a string, a number or a boolean.";
            }
        }

        return null;
    }

    private static string? CheckCron(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6) && !expression.TrimStart().StartsWith('@'))
        {
            return $"A cron expression has 5 fields (minute hour day month weekday) or 6 with seconds first; this one has {fields}.";
        }

        return TryParseCron(expression, out _) ? null : $"'{expression}' is not a valid cron expression.";
    }

    /// <summary>Five fields, six with seconds first, or a macro such as <c>@daily</c>.</summary>
    public static bool TryParseCron(string expression, out CronExpression cron)
    {
        var format = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.TryParse(expression.Trim(), format, out cron!);
    }

    public static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        return !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }

    /// <summary>ISO 8601; a time without an offset is taken as UTC.</summary>
    public static bool TryParseDate(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out at);

    public static bool HasTemplateSyntax(string text) =>
        text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    private static bool IsString(JsonNode value, out string text)
    {
        if (value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        text = string.Empty;
        return false;
    }
}
