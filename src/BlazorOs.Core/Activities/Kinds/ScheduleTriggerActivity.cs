using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

internal sealed record ScheduleTriggerSettings(string Cron, string? TimeZone = null);

/// <summary>
/// Starts a run on a cron schedule (five fields, or six with seconds first) in a time zone. The scheduler reads the
/// expression; when the run starts this node passes the run's inputs on.
/// </summary>
internal sealed class ScheduleTriggerActivity(SettingsValidator validator) : IActivity
{
    public const string Kind = "trigger.schedule";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Schedule",
        "Starts on a cron schedule, e.g. \"0 9 * * 1-5\" for weekdays at 09:00, in the time zone you pick.",
        ActivityCategory.Trigger,
        "Icons.Material.Outlined.Schedule",
        ["next"],
        [
            new SettingField("cron", SettingType.Cron, "When to start: minute hour day month weekday (a sixth field first for seconds).", Required: true),
            new SettingField("timeZone", SettingType.TimeZone, "Time zone the schedule is read in, e.g. Europe/Berlin.", Default: "UTC"),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings) => validator.Check(Definition, settings);

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ActivityResult>(ActivityResult.Next(context.Scope.Inputs.DeepClone()));
}
