using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Hubs;

/// <summary>What <see cref="TraceHub"/> sends to its clients.</summary>
public interface ITraceClient
{
    /// <summary>One committed trace event; per run, <see cref="TraceMessage.Sequence"/> rises by one without gaps.</summary>
    Task Trace(TraceMessage message);
}
