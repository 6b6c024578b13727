using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

/// <summary>Splits the run: every edge leaving <c>next</c> runs at the same time, until a <c>join</c> brings them together.</summary>
internal sealed class ParallelActivity(SettingsValidator validator) : IActivity
{
    public const string Kind = "parallel";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Parallel",
        "Runs every outgoing branch at the same time; a Join waits for all of them.",
        ActivityCategory.Flow,
        "Icons.Material.Outlined.CallSplit",
        ["next"],
        []);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings) => validator.Check(Definition, settings);

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ActivityResult>(ActivityResult.Next());
}
