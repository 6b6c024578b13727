namespace BlazorOs.Web.Tests.Support;

/// <summary>
/// The real clock moved to <see cref="Noon"/>: midday on the 25th, so "today", "this month" and "the last 24 h" cannot
/// flip while a test runs. Timers and timestamps stay real, so MudBlazor's debounce and popovers (which take the
/// registered <see cref="TimeProvider"/>) behave as in the app; a fake clock would freeze them.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly TimeSpan _shift = Noon - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _shift;
}
