using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Activities.Kinds;

/// <param name="Inputs">The child run's inputs; string values are Liquid templates, other values are passed as they are.</param>
internal sealed record SubPlaybookSettings(Guid PlaybookId, JsonObject? Inputs = null);

/// <summary>
/// Runs another playbook as a child run and waits for it. The child is started once per step (the runner is idempotent
/// per activation); when it ends, a completed child continues along <c>next</c> with <c>{ status, outcome, … }</c> as
/// output, anything else fails the step.
/// </summary>
internal sealed class SubPlaybookActivity(SettingsValidator validator, ITemplateRenderer templates) : IActivity
{
    public const string Kind = "playbook";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Sub-playbook",
        "Runs another playbook with the inputs you give and waits until it ends.",
        ActivityCategory.Flow,
        "Icons.Material.Outlined.AccountTree",
        ["next", "error"],
        [
            new SettingField("playbookId", SettingType.PlaybookRef, "The playbook to run (its latest version).", Required: true),
            new SettingField("inputs", SettingType.KeyValues, "Its inputs by name; text may use {{ }}.", Template: true),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings) => validator.Check(Definition, settings);

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<SubPlaybookSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
        }

        if (context.Answer is { } answer)
        {
            return Ended(answer);
        }

        var inputs = new JsonObject();
        try
        {
            foreach (var (name, value) in settings.Inputs ?? [])
            {
                inputs[name] = value?.GetValueKind() == JsonValueKind.String
                    ? JsonValue.Create(templates.Render(value.GetValue<string>(), context.Scope))
                    : value?.DeepClone();
            }
        }
        catch (TemplateException ex)
        {
            return ActivitySettings.TemplateFailed("inputs", ex);
        }

        Guid childRunId;
        try
        {
            childRunId = await context.Services.GetRequiredService<ISubPlaybookRunner>()
                .StartChildAsync(context.RunId, context.Activation, context.NodeId, settings.PlaybookId, inputs, cancellationToken);
        }
        catch (KeyNotFoundException ex)
        {
            return new ActivityResult.Failed(ex.Message, Retryable: false);
        }

        await context.Trace.WriteAsync("subplaybook.started", $"Started sub-playbook run {childRunId}",
            new JsonObject { ["childRunId"] = childRunId.ToString(), ["playbookId"] = settings.PlaybookId.ToString() },
            cancellationToken: cancellationToken);
        return new ActivityResult.Waiting(new WaitRequest(WaitKind.ChildRun, "Waiting for sub-playbook run",
            new JsonObject { ["childRunId"] = childRunId.ToString(), ["playbookId"] = settings.PlaybookId.ToString() }));
    }

    private static ActivityResult Ended(WaitAnswer answer)
    {
        if (answer.Kind != AnswerKind.ChildEnded)
        {
            return new ActivityResult.Failed($"A sub-playbook step cannot be answered with {answer.Kind}.", Retryable: false);
        }

        var status = answer.Output?["status"]?.ToString();
        return status == "Completed"
            ? new ActivityResult.Completed("next", answer.Output?.DeepClone())
            : new ActivityResult.Failed(answer.Output?["error"]?.ToString() is { Length: > 0 } error
                ? $"The sub-playbook run ended {status}: {error}"
                : $"The sub-playbook run ended {status ?? "without a status"}.", Retryable: false);
    }
}
