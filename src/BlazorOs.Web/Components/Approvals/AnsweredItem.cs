using BlazorOs.Core.Execution;

namespace BlazorOs.Web.Components.Approvals;

/// <summary>A question that is no longer open: how it was answered, by whom and when (or that it timed out or was cancelled).</summary>
public sealed record AnsweredItem(Guid Id, Guid RunId, string Playbook, ApprovalKind Kind, string Question, ApprovalStatus Status,
    ApprovalDecision? Decision, string? AnsweredBy, DateTime AnsweredAt, string? OutputJson)
{
    public string Outcome => Status switch
    {
        ApprovalStatus.Answered => Decision?.ToString() ?? "Answered",
        ApprovalStatus.TimedOut => "Timed out" + (Decision is { } decision ? $": {decision}" : ""),
        _ => "Cancelled with its run",
    };
}
