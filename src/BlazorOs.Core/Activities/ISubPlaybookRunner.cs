using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities;

/// <summary>Starts child runs for <c>playbook</c> (sub-playbook) steps. The engine implements it.</summary>
public interface ISubPlaybookRunner
{
    /// <summary>
    /// Starts a run of the latest version of <paramref name="playbookId"/> as a child of <paramref name="parentRunId"/>
    /// and returns its id. Idempotent per <paramref name="activation"/>: called again for the same step execution (after
    /// a restart) it returns the child it already started. When the child ends, the engine answers the parent step's
    /// <see cref="WaitKind.ChildRun"/> wait with <see cref="AnswerKind.ChildEnded"/> and <c>{ status, outcome, error }</c>.
    /// Throws <see cref="KeyNotFoundException"/> when the playbook does not exist.
    /// </summary>
    Task<Guid> StartChildAsync(Guid parentRunId, Guid activation, string nodeId, Guid playbookId, JsonObject inputs,
        CancellationToken cancellationToken);
}
