using System.Text.Json.Serialization;

namespace BlazorOs.Web.Hubs;

public static class HubsServiceCollectionExtensions
{
    /// <summary>SignalR with enums as names (clients read <c>"level": "Error"</c>), and the relay from the trace bus.</summary>
    public static IServiceCollection AddTraceHub(this IServiceCollection services)
    {
        services.AddSignalR()
            .AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddHostedService<TraceRelay>();
        return services;
    }
}
