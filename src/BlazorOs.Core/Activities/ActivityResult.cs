using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities;

/// <summary>What an activity reports back to its host.</summary>
public abstract record ActivityResult
{
    private ActivityResult()
    {
    }

    /// <summary>Done: continue along every edge that leaves through <paramref name="Port"/>.</summary>
    public sealed record Completed(string Port, JsonNode? Output) : ActivityResult;

    /// <summary>
    /// Wait for the operator or the clock. The host stores the request (an approval, a task, a due time), suspends the
    /// node and calls <see cref="IActivity.ExecuteAsync"/> again with <see cref="ActivityContext.Answer"/> set.
    /// </summary>
    public sealed record Waiting(WaitRequest Request) : ActivityResult;

    /// <summary>
    /// Did not work. <paramref name="Retryable"/> false skips the remaining attempts (bad settings, a 4xx answer).
    /// </summary>
    public sealed record Failed(string Error, bool Retryable = true) : ActivityResult;

    /// <summary>An <c>end</c> node: the run completes with this outcome and KPI contributions.</summary>
    public sealed record Ended(string? Outcome, IReadOnlyDictionary<string, double> Kpis) : ActivityResult;

    public static Completed Next(JsonNode? output = null) => new("next", output);
}

public enum WaitKind
{
    /// <summary>Approve, reject or modify (an approval node, or a policy that requires approval).</summary>
    Approval = 0,

    /// <summary>The operator writes the output (an agent step with no model configured).</summary>
    OperatorTask = 1,

    /// <summary>Nobody answers: the scheduler wakes the node at <see cref="WaitRequest.DueAt"/>.</summary>
    Timer = 2,

    /// <summary>A sub-playbook runs; the engine wakes the node when the child run ends.</summary>
    ChildRun = 3,
}

/// <param name="Question">What the operator is asked, e.g. "Send this email?".</param>
/// <param name="Context">What will happen, the inputs, the output to approve: shown with the question.</param>
/// <param name="DueAt">When the timer fires, or when an approval times out.</param>
/// <param name="OnTimeout"><c>approve</c>, <c>reject</c> or <c>escalate</c> for approvals with a due time.</param>
public sealed record WaitRequest(
    WaitKind Kind,
    string Question,
    JsonObject? Context = null,
    DateTime? DueAt = null,
    string? OnTimeout = null,
    string? PolicyReason = null);

public enum AnswerKind
{
    Approved = 0,
    Rejected = 1,

    /// <summary>Approved with an output the operator edited.</summary>
    Modified = 2,

    /// <summary>The operator wrote the output of an operator task.</summary>
    Provided = 3,

    /// <summary>The timer of a <see cref="WaitKind.Timer"/> wait fired.</summary>
    TimerFired = 4,

    /// <summary>The approval's due time passed; <see cref="WaitRequest.OnTimeout"/> says what that means.</summary>
    TimedOut = 5,

    /// <summary>The child run of a sub-playbook step ended; <see cref="WaitAnswer.Output"/> holds its result.</summary>
    ChildEnded = 6,
}

/// <summary>The answer to a <see cref="WaitRequest"/>, handed to the second call of the activity.</summary>
public sealed record WaitAnswer(AnswerKind Kind, JsonNode? Output, string AnsweredBy, DateTime At);
