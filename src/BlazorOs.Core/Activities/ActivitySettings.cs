using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities;

/// <summary>Reads a node's settings object into its kind's typed settings record (camelCase names).</summary>
internal static class ActivitySettings
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        // A stored definition that lost a required setting fails readably instead of reaching the activity as null.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// Null when the settings read; otherwise the failure to report. Validation runs before a version is saved, so a
    /// failure here means a stored definition no longer fits its kind: retrying would not help.
    /// </summary>
    public static ActivityResult.Failed? TryRead<T>(ActivityContext context, out T settings)
        where T : class
    {
        try
        {
            settings = context.Settings.Deserialize<T>(Options)!;
            if (settings is not null)
            {
                return null;
            }
        }
        catch (JsonException ex)
        {
            settings = null!;
            return new ActivityResult.Failed($"The settings of '{context.NodeId}' do not fit its kind: {ex.Message}", Retryable: false);
        }

        return new ActivityResult.Failed($"The settings of '{context.NodeId}' are missing.", Retryable: false);
    }

    /// <summary>A settings value (string, number, boolean) as text.</summary>
    public static string? Text(JsonNode? value) => value switch
    {
        null => null,
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => scalar.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    /// <summary>A JSON number as a double, whatever .NET type the value was made from; null for anything else.</summary>
    public static double? Number(JsonNode? value) =>
        value?.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    /// <summary>Cuts long text for traces; the full value stays in the step's output.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    public static ActivityResult.Failed TemplateFailed(string field, TemplateException ex) =>
        new($"Setting '{field}': {ex.Message}", Retryable: false);
}
