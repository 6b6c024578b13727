using System.Globalization;
using BlazorOs.Core.Execution;
using MudBlazor;

namespace BlazorOs.Web.Components.Shared;

/// <summary>How numbers, times and statuses read everywhere in the UI.</summary>
internal static class Formats
{
    public static string Cost(long micros) => (micros / 1_000_000m).ToString("0.00##", CultureInfo.InvariantCulture);

    public static string When(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Duration(DateTime start, DateTime? end, DateTime now)
    {
        var span = (end ?? now) - start;
        return span.TotalSeconds < 60 ? $"{span.TotalSeconds:0.#} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    public static Color ColorOf(RunStatus status) => status switch
    {
        RunStatus.Running => Color.Info,
        RunStatus.Suspended => Color.Warning,
        RunStatus.Completed => Color.Success,
        RunStatus.Failed => Color.Error,
        _ => Color.Default,
    };
}

internal static class ExceptionMessages
{
    /// <summary>The message without .NET's "(Parameter 'x')" suffix, for showing to the operator.</summary>
    public static string ForOperator(this ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : exception.Message;
}
