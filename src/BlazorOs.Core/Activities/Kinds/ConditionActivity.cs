using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Activities.Scripting;

namespace BlazorOs.Core.Activities.Kinds;

internal sealed record ConditionSettings(string Expression);

/// <summary>
/// Takes the <c>true</c> or <c>false</c> edge by a JavaScript expression over <c>inputs</c>, <c>steps</c>, <c>vars</c> and
/// <c>run</c>, with JavaScript's idea of truthy. A script that fails or hits a limit will fail the same way again, so it
/// is not retried.
/// </summary>
internal sealed class ConditionActivity(SettingsValidator validator, IScriptEvaluator scripts) : IActivity
{
    public const string Kind = "condition";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Condition",
        "Goes one way or the other by a JavaScript expression, e.g. steps.score.output.value > 0.7.",
        ActivityCategory.Flow,
        "Icons.Material.Outlined.AltRoute",
        ["true", "false", "error"],
        [new SettingField("expression", SettingType.Script, "JavaScript expression over inputs, steps, vars and run; truthy takes the true edge.", Required: true)]);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings) => validator.Check(Definition, settings);

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<ConditionSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
        }

        bool value;
        try
        {
            value = IsTruthy(scripts.Evaluate(settings.Expression, context.Scope));
        }
        catch (ScriptException ex)
        {
            return new ActivityResult.Failed(ex.Message, Retryable: false);
        }

        var port = value ? "true" : "false";
        await context.Trace.WriteAsync("condition.evaluated", $"{settings.Expression} → {port}", new JsonObject
        {
            ["expression"] = settings.Expression,
            ["port"] = port,
            ["saw"] = ExpressionWitness.Collect(settings.Expression, context.Scope, scripts),
        }, cancellationToken: cancellationToken);
        return new ActivityResult.Completed(port, new JsonObject { ["value"] = value });
    }

    /// <summary>JavaScript truthiness of a value that came back as JSON (NaN and undefined arrive as null).</summary>
    internal static bool IsTruthy(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => false,
        JsonValueKind.Number => ActivitySettings.Number(value) is not (0 or null),
        JsonValueKind.String => value.GetValue<string>().Length > 0,
        _ => true,
    };
}
