using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

/// <summary>Starts a run when the operator presses Run or a client calls the API. Its output is the run's inputs.</summary>
internal sealed class ManualTriggerActivity(SettingsValidator validator) : IActivity
{
    public const string Kind = "trigger.manual";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Manual start",
        "Starts when you press Run or a client calls the API; passes the run's inputs on.",
        ActivityCategory.Trigger,
        "Icons.Material.Outlined.PlayArrow",
        ["next"],
        []);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings) => validator.Check(Definition, settings);

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ActivityResult>(ActivityResult.Next(context.Scope.Inputs.DeepClone()));
}
