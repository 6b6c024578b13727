using System.Globalization;
using BlazorOs.Core.Settings;

namespace BlazorOs.Core.Memory;

/// <summary>Memory settings kept in the settings table, with their defaults.</summary>
public static class MemorySettings
{
    /// <summary>A conflicting write with a confidence below this is flagged for review.</summary>
    public const string ReviewBelowConfidenceKey = "memory.reviewBelowConfidence";

    public const double DefaultReviewBelowConfidence = 0.7;

    public static async Task<double> ReviewBelowConfidenceAsync(this SettingsStore settings, CancellationToken cancellationToken = default) =>
        double.TryParse(await settings.GetAsync(ReviewBelowConfidenceKey, cancellationToken), NumberStyles.Float, CultureInfo.InvariantCulture,
            out var threshold) && threshold is >= 0 and <= 1
            ? threshold
            : DefaultReviewBelowConfidence;

    public static Task SetReviewBelowConfidenceAsync(this SettingsStore settings, double threshold, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        return settings.SetAsync(ReviewBelowConfidenceKey, threshold.ToString("R", CultureInfo.InvariantCulture), cancellationToken);
    }
}
