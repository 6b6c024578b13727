using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks;

namespace BlazorOs.Core.Policy;

public enum PolicyVerdict
{
    Allow = 0,
    RequireApproval = 1,
    Deny = 2,
}

public sealed record PolicyDecision(PolicyVerdict Verdict, string Reason);

/// <summary>
/// Decides, before a step runs, whether it may run alone. Today from the playbook's delegation level and whether the
/// step was just approved by an approval node; budgets and connector boundaries plug in here.
/// </summary>
public sealed class PolicyEngine
{
    public PolicyDecision Decide(DelegationLevel delegation, ActivityDescriptor activity, string? arrivedThroughPort)
    {
        var governed = delegation == DelegationLevel.Supervised
            ? activity.Category is ActivityCategory.Ai or ActivityCategory.Connector || activity.HasExternalEffect
            : activity.HasExternalEffect;
        if (!governed)
        {
            return new PolicyDecision(PolicyVerdict.Allow, activity.HasExternalEffect
                ? "Delegated playbook: steps with external effects run without asking."
                : "No external effect.");
        }

        if (delegation == DelegationLevel.Delegated)
        {
            return new PolicyDecision(PolicyVerdict.Allow, "Delegated playbook: steps with external effects run without asking.");
        }

        if (arrivedThroughPort == "approved")
        {
            return new PolicyDecision(PolicyVerdict.Allow, "You approved this in the approval step just before it.");
        }

        return new PolicyDecision(PolicyVerdict.RequireApproval, delegation == DelegationLevel.Supervised
            ? "Supervised playbook: every agent and connector step is shown to you before it runs."
            : $"Playbook delegation is 'approval' and '{activity.DisplayName}' acts outside BlazorOs.");
    }
}
