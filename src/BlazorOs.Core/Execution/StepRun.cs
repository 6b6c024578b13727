namespace BlazorOs.Core.Execution;

public enum StepStatus
{
    Running = 0,
    Waiting = 1,
    Completed = 2,
    Failed = 3,
    Skipped = 4,

    /// <summary>Failed, then set to run again by the operator's retry of the run; runs at the next replay.</summary>
    Pending = 5,
}

/// <summary>One node's execution inside a run, across all its attempts.</summary>
public sealed class StepRun
{
    private StepRun(Guid id, Guid runId, string nodeId, string kind, DateTime startedAt)
    {
        Id = id;
        RunId = runId;
        NodeId = nodeId;
        Kind = kind;
        StartedAt = startedAt;
    }

    public Guid Id { get; private set; }
    public Guid RunId { get; private set; }
    public string NodeId { get; private set; }
    public string Kind { get; private set; }
    public StepStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? InputJson { get; private set; }
    public string? OutputJson { get; private set; }
    public string? Error { get; private set; }
    public DateTime StartedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }
    public long TokensIn { get; private set; }
    public long TokensOut { get; private set; }
    public long CostMicros { get; private set; }

    /// <summary>The port the step left through (<c>next</c>, <c>true</c>, <c>approved</c>, <c>error</c>…); null while running.</summary>
    public string? Port { get; private set; }

    /// <summary>
    /// Starts a step. <paramref name="activationId"/> is derived from the run, the node and what activated it, so a
    /// step replayed after recovery finds its own row instead of running (and paying) twice.
    /// </summary>
    public static StepRun Begin(Guid activationId, Guid runId, string nodeId, string kind, string? inputJson, DateTime now) =>
        new(activationId, runId, nodeId, kind, now) { InputJson = inputJson, Attempts = 1 };

    public void Retry()
    {
        Attempts++;
        Status = StepStatus.Running;
        Error = null;
    }

    /// <summary>The operator retries the failed run from this step: it runs again when the run is replayed.</summary>
    public void ResetForRetry()
    {
        if (Status != StepStatus.Failed)
        {
            throw new InvalidOperationException($"Step {NodeId} is {Status}; only a failed step can be retried.");
        }

        Status = StepStatus.Pending;
        Port = null;
        EndedAt = null;
    }

    public void Wait() => Status = StepStatus.Waiting;

    public void Resume() => Status = StepStatus.Running;

    public void RecordUsage(long tokensIn, long tokensOut, long costMicros)
    {
        TokensIn += tokensIn;
        TokensOut += tokensOut;
        CostMicros += costMicros;
    }

    public void Complete(string port, string? outputJson, DateTime now) => End(StepStatus.Completed, port, now, outputJson, error: null);

    /// <summary>Failed for good; <paramref name="port"/> is <c>error</c> when an error edge takes over, else null.</summary>
    public void Fail(string error, DateTime now, string? port = null) => End(StepStatus.Failed, port, now, output: null, error);

    public void Skip(string? outputJson, DateTime now) => End(StepStatus.Skipped, "next", now, outputJson, error: null);

    private void End(StepStatus status, string? port, DateTime now, string? output, string? error)
    {
        Status = status;
        Port = port;
        OutputJson = output;
        Error = error;
        EndedAt = now;
    }
}
