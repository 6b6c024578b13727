using BlazorOs.Core.Memory;
using BlazorOs.Web.Auth;

namespace BlazorOs.Web.Components.Memory;

/// <summary>How the item pages record a revert: by the signed-in operator, on the item's page, with a reason naming the revision.</summary>
internal static class MemoryRevert
{
    public static Provenance Operator(TimeProvider clock, string what) =>
        Provenance.Of(ProvenanceSource.Operator, OperatorAccount.OperatorName, clock.GetUtcNow().UtcDateTime, detail: $"Reverted on the {what}'s page");

    /// <summary>The reason stored with a revert of a decision or record, as facts store theirs.</summary>
    public static string Reason(int number, string why) => $"Reverted to revision {number}: {why.Trim()}";
}
