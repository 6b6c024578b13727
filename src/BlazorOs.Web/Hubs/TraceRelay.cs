using BlazorOs.Core.Traces;
using Microsoft.AspNetCore.SignalR;

namespace BlazorOs.Web.Hubs;

/// <summary>Relays every event of the in-process trace bus to the hub's groups: the run's own and the all-runs one.</summary>
internal sealed class TraceRelay(ITraceBus bus, IHubContext<TraceHub, ITraceClient> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = bus.Subscribe(runId: null, RelayAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    // SignalR queues each send per connection, so a slow client does not hold up the run that wrote the event.
    private async ValueTask RelayAsync(TraceMessage message) =>
        await Task.WhenAll(
            hub.Clients.Group(TraceHub.RunGroup(message.RunId)).Trace(message),
            hub.Clients.Group(TraceHub.AllRunsGroup).Trace(message));
}
