using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Intention;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Playbooks;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Everything below the web layer: the store and the services of the three planes.</summary>
    public static IServiceCollection AddBlazorOsCore(this IServiceCollection services, DatabaseSettings database,
        ModelEndpoint model)
    {
        services.AddBlazorOsData(database);
        services.AddSingleton(model);
        services.AddSingleton<GoalService>();
        services.AddBlazorOsMemory();
        services.AddBlazorOsMemoryJobs();
        services.AddBlazorOsAgents();
        services.AddBlazorOsPlaybooks();
        services.AddBlazorOsExecution();
        return services;
    }
}
