using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>What starts a run: a playbook's latest version, its inputs, and who asked.</summary>
public sealed record StartRun(Guid PlaybookId, JsonObject Inputs, RunTrigger Trigger, Guid? GoalId = null);

/// <summary>A run could not start; <see cref="Problems"/> lists every reason (unknown playbook, missing or mistyped inputs).</summary>
public sealed class RunStartException(IReadOnlyList<PlaybookProblem> problems)
    : Exception(string.Join("; ", problems.Select(p => p.ToString())))
{
    public IReadOnlyList<PlaybookProblem> Problems { get; } = problems;
}

/// <summary>
/// An answer the engine refuses: one that does not fit its question (approving an escalation), or, with
/// <see cref="IsConflict"/>, one that comes too late (answering twice, cancelling a finished run).
/// </summary>
public sealed class AnswerRejectedException(string message, bool isConflict = false) : Exception(message)
{
    public bool IsConflict { get; } = isConflict;
}

/// <summary>
/// Runs playbook versions durably. Behind this interface sits Microsoft Agent Framework Workflows; activities, UI and
/// storage only know this.
/// </summary>
public interface IPlaybookEngine
{
    /// <summary>Starts a run pinned to the playbook's latest version and returns at once with its id.</summary>
    Task<Guid> StartAsync(StartRun request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Answers an open approval, escalation or task: approve / reject / modify (with the edited output),
    /// provide (a task's output), retry / skip (with an output) / fail. Recorded with who and when; the run continues.
    /// </summary>
    Task AnswerAsync(Guid approvalId, Execution.ApprovalDecision decision, JsonNode? output, string answeredBy,
        CancellationToken cancellationToken = default);

    Task CancelAsync(Guid runId, string cancelledBy, CancellationToken cancellationToken = default);

    /// <summary>
    /// Retries a failed run from the step that failed: that step runs again, finished steps keep their outputs (and
    /// their paid model calls are not repeated). Refused for a run that is not failed or has no failed step to retry.
    /// </summary>
    Task RetryAsync(Guid runId, string retriedBy, CancellationToken cancellationToken = default);

    /// <summary>Starts a new run of the same playbook (its latest version) with the inputs and goal of <paramref name="runId"/>.</summary>
    Task<Guid> RerunAsync(Guid runId, CancellationToken cancellationToken = default);

    /// <summary>Resumes every run that was running or waiting when the process stopped.</summary>
    Task RecoverAsync(CancellationToken cancellationToken = default);

    /// <summary>Waits until the run is no longer live in this process (tests, shutdown); false on timeout.</summary>
    Task<bool> WaitForIdleAsync(Guid runId, TimeSpan timeout);
}

/// <summary>Reads the pinned definition of a playbook version (parsing is the playbook module's job).</summary>
public interface IPlaybookDefinitionSource
{
    PlaybookDefinition Parse(string definitionJson);
}
