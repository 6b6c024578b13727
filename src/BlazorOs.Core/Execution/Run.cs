namespace BlazorOs.Core.Execution;

/// <summary>Where a run stands. Completed, Failed and Cancelled are final.</summary>
public enum RunStatus
{
    Running = 0,
    Suspended = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
}

public enum RunTrigger
{
    Manual = 0,
    Api = 1,
    Schedule = 2,
    Webhook = 3,
    Playbook = 4,
}

/// <summary>One execution of one pinned playbook version.</summary>
public sealed class Run
{
    private Run(Guid id, Guid playbookId, Guid playbookVersionId, int versionNumber, RunTrigger trigger,
        string inputsJson, DateTime startedAt)
    {
        Id = id;
        PlaybookId = playbookId;
        PlaybookVersionId = playbookVersionId;
        VersionNumber = versionNumber;
        Trigger = trigger;
        InputsJson = inputsJson;
        StartedAt = startedAt;
    }

    public Guid Id { get; private set; }
    public Guid PlaybookId { get; private set; }
    public Guid PlaybookVersionId { get; private set; }
    public int VersionNumber { get; private set; }
    public RunStatus Status { get; private set; }
    public RunTrigger Trigger { get; private set; }
    public string InputsJson { get; private set; }
    public Guid? GoalId { get; private set; }
    public Guid? ParentRunId { get; private set; }
    public string? Outcome { get; private set; }
    public string? Error { get; private set; }
    public DateTime StartedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }
    public long TokensIn { get; private set; }
    public long TokensOut { get; private set; }

    /// <summary>Cost in millionths of the price table's currency: exact, and summable by SQLite.</summary>
    public long CostMicros { get; private set; }

    public bool IsFinal => Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled;

    public static Run Start(Guid playbookId, Guid playbookVersionId, int versionNumber, RunTrigger trigger,
        string inputsJson, DateTime now, Guid? goalId = null, Guid? parentRunId = null, Guid? id = null) =>
        new(id ?? Guid.CreateVersion7(), playbookId, playbookVersionId, versionNumber, trigger, inputsJson, now)
        {
            GoalId = goalId,
            ParentRunId = parentRunId,
        };

    public void RecordUsage(long tokensIn, long tokensOut, long costMicros)
    {
        TokensIn += tokensIn;
        TokensOut += tokensOut;
        CostMicros += costMicros;
    }

    public void Suspend() => MoveTo(RunStatus.Suspended);

    public void Resume() => MoveTo(RunStatus.Running);

    public void Complete(string? outcome, DateTime now)
    {
        MoveTo(RunStatus.Completed);
        Outcome = outcome;
        EndedAt = now;
    }

    public void Fail(string reason, DateTime now)
    {
        MoveTo(RunStatus.Failed);
        Error = reason;
        EndedAt = now;
    }

    /// <summary>
    /// A failed run goes on from its failed step at the operator's request (retry from the failed step); finished
    /// steps keep their outputs. Only a failed run can be reopened: completed and cancelled runs are final.
    /// </summary>
    public void Reopen()
    {
        if (Status != RunStatus.Failed)
        {
            throw new InvalidOperationException($"Run {Id} is {Status}; only a failed run can be retried.");
        }

        Status = RunStatus.Running;
        Error = null;
        EndedAt = null;
    }

    public void Cancel(DateTime now)
    {
        MoveTo(RunStatus.Cancelled);
        EndedAt = now;
    }

    private void MoveTo(RunStatus next)
    {
        if (IsFinal)
        {
            throw new InvalidOperationException($"Run {Id} is {Status}; it cannot become {next}.");
        }

        Status = next;
    }
}
