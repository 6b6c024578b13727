namespace BlazorOs.Core.Activities;

/// <summary>Where a kind sits in the designer's palette.</summary>
public enum ActivityCategory
{
    Trigger = 0,
    Ai = 1,
    Connector = 2,
    Flow = 3,
    Human = 4,
    Memory = 5,
    End = 6,
}

/// <summary>How the designer renders and the validator checks one setting.</summary>
public enum SettingType
{
    /// <summary>One line of text; a Liquid template when <see cref="SettingField.Template"/> is set.</summary>
    Text = 0,

    /// <summary>Several lines of text (prompts, bodies); a Liquid template when <see cref="SettingField.Template"/> is set.</summary>
    MultilineText = 1,

    /// <summary>A JavaScript expression (conditions, switch expressions).</summary>
    Script = 2,

    Number = 3,
    Boolean = 4,

    /// <summary>One of <see cref="SettingField.Choices"/>.</summary>
    Choice = 5,

    /// <summary>A JSON array of strings (tools, switch cases).</summary>
    StringList = 6,

    /// <summary>A JSON object of string values (headers, sub-playbook inputs, KPI contributions).</summary>
    KeyValues = 7,

    /// <summary>Any JSON value (an output JSON schema).</summary>
    Json = 8,

    /// <summary>The id (GUID) of another playbook.</summary>
    PlaybookRef = 9,

    /// <summary>A cron expression (five or six fields).</summary>
    Cron = 10,

    /// <summary>An IANA time-zone id.</summary>
    TimeZone = 11,

    /// <summary>An ISO 8601 date and time.</summary>
    DateTime = 12,
}

/// <summary>One setting of a kind: name as in the playbook JSON, how to edit it, and what it means.</summary>
/// <param name="IgnoredWhen">When another setting makes this one meaningless; the properties panel then shows it disabled.</param>
public sealed record SettingField(
    string Name,
    SettingType Type,
    string Description,
    bool Required = false,
    bool Template = false,
    IReadOnlyList<string>? Choices = null,
    string? Default = null,
    SettingIgnored? IgnoredWhen = null);

/// <summary>
/// A setting that the step ignores while <paramref name="Setting"/> is <paramref name="Value"/>, and why (e.g. a
/// working-memory note has no scope).
/// </summary>
public sealed record SettingIgnored(string Setting, string Value, string Reason);

/// <summary>What the palette, the properties panel and the validator know about a kind.</summary>
/// <param name="Kind">The <c>kind</c> value in the playbook JSON, e.g. <c>agent</c>.</param>
/// <param name="Ports">The output ports every node of this kind has (a switch adds one per case).</param>
/// <param name="HasExternalEffect">True when running it changes something outside BlazorOs; policy and idempotency apply.</param>
public sealed record ActivityDescriptor(
    string Kind,
    string DisplayName,
    string Description,
    ActivityCategory Category,
    string Icon,
    IReadOnlyList<string> Ports,
    IReadOnlyList<SettingField> Settings,
    bool HasExternalEffect = false);
