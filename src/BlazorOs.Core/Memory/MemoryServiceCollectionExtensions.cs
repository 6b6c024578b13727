using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Memory;

public static class MemoryServiceCollectionExtensions
{
    /// <summary>Facts, decisions, records and summaries with their revisions, and ranked recall over them.</summary>
    public static IServiceCollection AddBlazorOsMemory(this IServiceCollection services)
    {
        services.AddSingleton<FactService>();
        services.AddSingleton<DecisionService>();
        services.AddSingleton<RecordService>();
        services.AddSingleton<MemorySearch>();
        services.AddSingleton<MemoryExplorer>();
        return services;
    }
}
