using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Activities.Scripting;

namespace BlazorOs.Core.Activities.Kinds;

internal sealed record SwitchSettings(string Expression, IReadOnlyList<string> Cases);

/// <summary>
/// Takes the edge of the case equal to the expression's value in text form (a string as is, numbers and booleans as
/// JavaScript writes them, anything else as JSON); <c>default</c> when no case matches.
/// </summary>
internal sealed class SwitchActivity(SettingsValidator validator, IScriptEvaluator scripts) : IActivity
{
    public const string Kind = "switch";
    public const string DefaultPort = "default";
    public const int MaxCaseLength = 64;

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Switch",
        "Goes along the case that equals a JavaScript expression's value, or default.",
        ActivityCategory.Flow,
        "Icons.Material.Outlined.ForkRight",
        [DefaultPort, "error"],
        [
            new SettingField("expression", SettingType.Script, "JavaScript expression over inputs, steps, vars and run.", Required: true),
            new SettingField("cases", SettingType.StringList, "The values to tell apart; each becomes an output port.", Required: true),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<string> PortsFor(JsonObject settings) =>
        [.. CasesOf(settings), DefaultPort, "error"];

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        if (settings["cases"] is not JsonArray cases)
        {
            return problems;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in cases.Select(ActivitySettings.Text).OfType<string>())
        {
            if (item.Trim().Length == 0)
            {
                problems.Add(new SettingProblem("cases", "A case may not be empty."));
            }
            else if (item.Length > MaxCaseLength)
            {
                problems.Add(new SettingProblem("cases", $"A case is at most {MaxCaseLength} characters."));
            }
            else if (item is DefaultPort or "error")
            {
                problems.Add(new SettingProblem("cases", $"'{item}' is a port every switch has; pick another case name."));
            }
            else if (!seen.Add(item))
            {
                problems.Add(new SettingProblem("cases", $"The case '{item}' appears twice."));
            }
        }

        return problems;
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<SwitchSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
        }

        string value;
        try
        {
            value = TextOf(scripts.Evaluate(settings.Expression, context.Scope));
        }
        catch (ScriptException ex)
        {
            return new ActivityResult.Failed(ex.Message, Retryable: false);
        }

        var port = settings.Cases.FirstOrDefault(c => string.Equals(c, value, StringComparison.Ordinal)) ?? DefaultPort;
        await context.Trace.WriteAsync("condition.evaluated", $"{settings.Expression} = {ActivitySettings.Truncate(value, 200)} → {port}", new JsonObject
        {
            ["expression"] = settings.Expression,
            ["value"] = value,
            ["port"] = port,
            ["saw"] = ExpressionWitness.Collect(settings.Expression, context.Scope, scripts),
        }, cancellationToken: cancellationToken);
        return new ActivityResult.Completed(port, new JsonObject { ["value"] = value, ["case"] = port });
    }

    private static IEnumerable<string> CasesOf(JsonObject settings) =>
        settings["cases"] is JsonArray cases ? cases.Select(ActivitySettings.Text).OfType<string>().Distinct(StringComparer.Ordinal) : [];

    private static string TextOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
