using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BlazorOs.Core;

/// <summary>The one activity source and meter the app's own spans and instruments hang off.</summary>
public static class BlazorOsTelemetry
{
    public const string Name = "BlazorOs";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);
}
