using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

/// <param name="OnTimeout">What an unanswered approval means once <see cref="TimeoutMinutes"/> pass.</param>
internal sealed record ApprovalSettings(string Question, string? Show = null, double? TimeoutMinutes = null, string OnTimeout = "reject");

/// <summary>
/// Asks the operator. The question and what it is about (<c>show</c>, usually an agent's draft) are rendered when the
/// step is reached and stored with the approval; the answer decides the port: <c>approved</c> (with the shown text, or
/// the operator's edit as output) or <c>rejected</c>. A timeout answers per <c>onTimeout</c>.
/// </summary>
internal sealed class ApprovalActivity(SettingsValidator validator, ITemplateRenderer templates, TimeProvider clock) : IActivity
{
    public const string Kind = "approval";
    public const double MaxTimeoutMinutes = 366 * 24 * 60;

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Approval",
        "Asks you to approve, reject or edit before the run goes on; optionally decides by itself after a timeout.",
        ActivityCategory.Human,
        "Icons.Material.Outlined.HowToReg",
        ["approved", "rejected"],
        [
            new SettingField("question", SettingType.MultilineText, "What you are asked, e.g. \"Send this email?\".", Required: true, Template: true),
            new SettingField("show", SettingType.MultilineText, "What to show with the question, e.g. {{ steps.draft.output }}; approving passes it on.", Template: true),
            new SettingField("timeoutMinutes", SettingType.Number, "Minutes to wait for an answer; empty waits for ever."),
            new SettingField("onTimeout", SettingType.Choice, "What an unanswered approval means after the timeout: approve, reject, or fail the step (escalate).",
                Choices: ["approve", "reject", "escalate"], Default: "reject"),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        if (ActivitySettings.Number(settings["timeoutMinutes"]) is <= 0 or > MaxTimeoutMinutes)
        {
            problems.Add(new SettingProblem("timeoutMinutes", $"Must be more than 0 and at most {MaxTimeoutMinutes:0} (a year)."));
        }

        return problems;
    }

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<ApprovalSettings>(context, out var settings) is { } invalid)
        {
            return ValueTask.FromResult<ActivityResult>(invalid);
        }

        string question;
        string? show;
        try
        {
            question = templates.Render(settings.Question, context.Scope);
            show = settings.Show is null ? null : templates.Render(settings.Show, context.Scope);
        }
        catch (TemplateException ex)
        {
            return ValueTask.FromResult<ActivityResult>(ActivitySettings.TemplateFailed("question or show", ex));
        }

        return ValueTask.FromResult(context.Answer is { } answer ? Decide(answer, show, settings) : Ask(context, question, show, settings));
    }

    private ActivityResult Ask(ActivityContext context, string question, string? show, ApprovalSettings settings)
    {
        DateTime? dueAt = settings.TimeoutMinutes is { } minutes ? clock.GetUtcNow().UtcDateTime.AddMinutes(minutes) : null;
        return new ActivityResult.Waiting(new WaitRequest(
            WaitKind.Approval,
            question,
            new JsonObject { ["show"] = show, ["inputs"] = context.Scope.Inputs.DeepClone() },
            dueAt,
            dueAt is null ? null : settings.OnTimeout,
            context.PolicyReason));
    }

    private static ActivityResult Decide(WaitAnswer answer, string? show, ApprovalSettings settings) => answer.Kind switch
    {
        AnswerKind.Approved => new ActivityResult.Completed("approved", show is null ? null : JsonValue.Create(show)),
        AnswerKind.Modified or AnswerKind.Provided => new ActivityResult.Completed("approved", answer.Output?.DeepClone()),
        AnswerKind.Rejected => new ActivityResult.Completed("rejected", answer.Output?.DeepClone()),
        AnswerKind.TimedOut => settings.OnTimeout switch
        {
            "approve" => new ActivityResult.Completed("approved", show is null ? null : JsonValue.Create(show)),
            "escalate" => new ActivityResult.Failed("approval timed out", Retryable: false),
            _ => new ActivityResult.Completed("rejected", null),
        },
        _ => new ActivityResult.Failed($"An approval cannot be answered with {answer.Kind}.", Retryable: false),
    };
}
