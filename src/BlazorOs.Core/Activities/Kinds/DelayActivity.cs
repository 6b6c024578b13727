using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

/// <param name="Until">ISO 8601 (a time without offset is UTC); may be a template such as <c>{{ inputs.follow_up_at }}</c>.</param>
internal sealed record DelaySettings(double? Seconds = null, string? Until = null);

/// <summary>
/// Waits a number of seconds or until a moment. The wait is a timer request with a due time the scheduler keeps in the
/// database, so it survives restarts. A moment already past continues at once.
/// </summary>
internal sealed class DelayActivity(SettingsValidator validator, ITemplateRenderer templates, TimeProvider clock) : IActivity
{
    public const string Kind = "delay";
    public const double MaxSeconds = 366 * 24 * 3600;

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Delay",
        "Waits some seconds, or until a date and time; survives restarts.",
        ActivityCategory.Flow,
        "Icons.Material.Outlined.HourglassEmpty",
        ["next"],
        [
            new SettingField("seconds", SettingType.Number, "How long to wait, in seconds (up to a year)."),
            new SettingField("until", SettingType.DateTime, "Or: wait until this ISO 8601 date and time (UTC unless it says otherwise).", Template: true),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        var hasSeconds = settings["seconds"] is not null;
        var hasUntil = settings["until"] is not null;
        if (hasSeconds == hasUntil)
        {
            problems.Add(new SettingProblem(hasSeconds ? "until" : "seconds", "Give either seconds or until, not both and not neither."));
        }

        if (ActivitySettings.Number(settings["seconds"]) is < 0 or > MaxSeconds)
        {
            problems.Add(new SettingProblem("seconds", $"Must be between 0 and {MaxSeconds:0} (a year)."));
        }

        return problems;
    }

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<DelaySettings>(context, out var settings) is { } invalid)
        {
            return ValueTask.FromResult<ActivityResult>(invalid);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (context.Answer is not null)
        {
            return ValueTask.FromResult<ActivityResult>(ActivityResult.Next(new JsonObject { ["waitedUntil"] = now.ToString("O") }));
        }

        DateTime due;
        if (settings.Seconds is { } seconds)
        {
            due = now.AddSeconds(Math.Clamp(seconds, 0, MaxSeconds));
        }
        else
        {
            string text;
            try
            {
                text = templates.Render(settings.Until ?? "", context.Scope).Trim();
            }
            catch (TemplateException ex)
            {
                return ValueTask.FromResult<ActivityResult>(ActivitySettings.TemplateFailed("until", ex));
            }

            if (!SettingsValidator.TryParseDate(text, out var until))
            {
                return ValueTask.FromResult<ActivityResult>(new ActivityResult.Failed(
                    $"'{text}' is not an ISO 8601 date and time.", Retryable: false));
            }

            due = until.UtcDateTime;
        }

        return ValueTask.FromResult<ActivityResult>(due <= now
            ? ActivityResult.Next(new JsonObject { ["waitedUntil"] = now.ToString("O") })
            : new ActivityResult.Waiting(new WaitRequest(WaitKind.Timer, $"Wait until {due:u}", DueAt: due)));
    }
}
