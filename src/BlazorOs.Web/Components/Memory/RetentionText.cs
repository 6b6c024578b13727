using BlazorOs.Core.Memory;

namespace BlazorOs.Web.Components.Memory;

internal static class RetentionText
{
    /// <summary>"keep forever", "keep 30 days", "keep the latest 100".</summary>
    public static string Keeps(RetentionMode mode, int? amount) => mode switch
    {
        RetentionMode.KeepDays => $"keep {amount} days",
        RetentionMode.KeepLatest => $"keep the latest {amount}",
        _ => "keep forever",
    };
}
