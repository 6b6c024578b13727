using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

/// <summary>
/// Waits for every branch of one <c>parallel</c> split, then continues once. The validator only lets unconditional
/// branches of a single split into a join, so every input it waits for is sure to come.
/// </summary>
internal sealed class JoinActivity(SettingsValidator validator) : IActivity
{
    public const string Kind = "join";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Join",
        "Waits for every branch of a Parallel split, then continues once.",
        ActivityCategory.Flow,
        "Icons.Material.Outlined.CallMerge",
        ["next"],
        []);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings) => validator.Check(Definition, settings);

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ActivityResult>(ActivityResult.Next());
}
