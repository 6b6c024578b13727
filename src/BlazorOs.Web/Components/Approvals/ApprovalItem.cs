using BlazorOs.Core.Execution;

namespace BlazorOs.Web.Components.Approvals;

/// <summary>An open question as the inbox shows it: the approval with the name of the playbook that asks.</summary>
public sealed record ApprovalItem(Guid Id, Guid RunId, string Playbook, string NodeId, ApprovalKind Kind, string Question,
    string? Context, string? PolicyReason, DateTime CreatedAt, DateTime? DueAt);
