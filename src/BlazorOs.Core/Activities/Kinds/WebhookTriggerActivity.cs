using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

/// <summary>
/// Starts a run when <c>POST /hooks/{playbookId}</c> is called with the playbook's <c>webhookSecret</c>; the request's
/// JSON body becomes the run's inputs and this node's output.
/// </summary>
internal sealed class WebhookTriggerActivity(SettingsValidator validator) : IActivity
{
    public const string Kind = "trigger.webhook";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Webhook",
        "Starts when another system posts to /hooks/{playbook id} with the playbook's webhook secret; the posted JSON is the input.",
        ActivityCategory.Trigger,
        "Icons.Material.Outlined.Webhook",
        ["next"],
        []);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings) => validator.Check(Definition, settings);

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ActivityResult>(ActivityResult.Next(context.Scope.Inputs.DeepClone()));
}
