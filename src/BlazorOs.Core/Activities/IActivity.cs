using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities;

/// <summary>A settings problem found without running anything; <see cref="Field"/> is the setting's name.</summary>
public sealed record SettingProblem(string Field, string Message);

/// <summary>
/// One node kind. Activities never throw into the engine: they return <see cref="ActivityResult.Failed"/> and the
/// activity host decides (retry, error edge, escalation). An exception that escapes is treated as a retryable failure.
/// </summary>
public interface IActivity
{
    ActivityDescriptor Descriptor { get; }

    /// <summary>The ports a node with these settings has; most kinds return <see cref="ActivityDescriptor.Ports"/>.</summary>
    IReadOnlyList<string> PortsFor(JsonObject settings) => Descriptor.Ports;

    /// <summary>Checks the node's settings (types, required fields, script syntax, cron syntax); empty when valid.</summary>
    IReadOnlyList<SettingProblem> Validate(JsonObject settings);

    /// <summary>
    /// True for pure control flow (triggers, conditions, switches, splits, joins, end): it finishes at once, writes no
    /// trace of its own and changes nothing outside its result, so running it again after a crash gives the same
    /// result. The host then records the step with one write when it ends instead of one before and one after.
    /// </summary>
    bool IsInstant => false;

    ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken);
}
