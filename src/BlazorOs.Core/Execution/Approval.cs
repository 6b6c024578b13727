using System.Linq.Expressions;

namespace BlazorOs.Core.Execution;

public enum ApprovalKind
{
    /// <summary>An approval node asks the operator to approve, reject or modify.</summary>
    Approval = 0,

    /// <summary>A step failed after its retries and has no error edge: retry, skip with output, or fail.</summary>
    Escalation = 1,

    /// <summary>A step needs output nobody else can give (e.g. an agent step with no model configured).</summary>
    OperatorTask = 2,

    /// <summary>A durable timer (a delay step); the scheduler answers it at <see cref="Approval.DueAt"/>. Not in the inbox.</summary>
    Timer = 3,

    /// <summary>A sub-playbook step waits for its child run; the engine answers it when the child ends. Not in the inbox.</summary>
    ChildRun = 4,
}

public enum ApprovalStatus
{
    Open = 0,
    Answered = 1,
    TimedOut = 2,
    Cancelled = 3,
}

public enum ApprovalDecision
{
    Approve = 0,
    Reject = 1,
    Modify = 2,
    Retry = 3,
    Skip = 4,
    Fail = 5,

    /// <summary>Answered by the clock (a timer fired, or an approval's due time passed).</summary>
    TimedOut = 6,

    /// <summary>Answered by the end of a child run.</summary>
    ChildEnded = 7,
}

/// <summary>A question a run asks the operator, with the context needed to answer it well.</summary>
public sealed class Approval
{
    private Approval(Guid id, Guid runId, string nodeId, ApprovalKind kind, string question, DateTime createdAt)
    {
        Id = id;
        RunId = runId;
        NodeId = nodeId;
        Kind = kind;
        Question = question;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid RunId { get; private set; }
    public string NodeId { get; private set; }
    public ApprovalKind Kind { get; private set; }
    public ApprovalStatus Status { get; private set; }
    public string Question { get; private set; }

    /// <summary>JSON: what will happen, the inputs, the output to approve.</summary>
    public string? ContextJson { get; private set; }

    public string? PolicyReason { get; private set; }
    public DateTime? DueAt { get; private set; }
    public ApprovalDecision? Decision { get; private set; }
    public string? OutputJson { get; private set; }
    public string? AnsweredBy { get; private set; }
    public DateTime? AnsweredAt { get; private set; }
    public DateTime CreatedAt { get; private set; }

    /// <summary>The step activation that waits; the engine answers the workflow's request port with this.</summary>
    public Guid? StepRunId { get; private set; }

    /// <summary>What happens when <see cref="DueAt"/> passes unanswered: <c>approve</c>, <c>reject</c> or <c>escalate</c>.</summary>
    public string? OnTimeout { get; private set; }

    public bool InInbox => Kind is ApprovalKind.Approval or ApprovalKind.Escalation or ApprovalKind.OperatorTask;

    /// <summary>Open questions for the operator (not the engine's own timers and child-run waits), as a query filter.</summary>
    public static readonly Expression<Func<Approval, bool>> IsOpenForOperator = a => a.Status == ApprovalStatus.Open
        && (a.Kind == ApprovalKind.Approval || a.Kind == ApprovalKind.Escalation || a.Kind == ApprovalKind.OperatorTask);

    public static Approval Open(Guid runId, string nodeId, ApprovalKind kind, string question, DateTime now,
        string? contextJson = null, string? policyReason = null, DateTime? dueAt = null, Guid? stepRunId = null,
        string? onTimeout = null, Guid? id = null) =>
        new(id ?? Guid.CreateVersion7(), runId, nodeId, kind, question, now)
        {
            ContextJson = contextJson,
            PolicyReason = policyReason,
            DueAt = dueAt,
            StepRunId = stepRunId,
            OnTimeout = onTimeout,
        };

    public void Cancel(DateTime now)
    {
        if (Status == ApprovalStatus.Open)
        {
            Status = ApprovalStatus.Cancelled;
            AnsweredAt = now;
        }
    }

    public void Answer(ApprovalDecision decision, string answeredBy, DateTime now, string? outputJson = null)
    {
        if (Status != ApprovalStatus.Open)
        {
            throw new InvalidOperationException($"Approval {Id} is already {Status}.");
        }

        Status = ApprovalStatus.Answered;
        Decision = decision;
        OutputJson = outputJson;
        AnsweredBy = answeredBy;
        AnsweredAt = now;
    }
}
