using BlazorOs.Core.Agents;
using BlazorOs.Core.Memory.Vectors;
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
        // Recall by meaning when the model endpoint names an embeddings model (BLAZOROS_EMBEDDING_MODEL); off otherwise.
        services.AddSingleton(sp => new MemoryEmbedder(EmbeddingSettings.From(sp.GetService<ModelEndpoint>() ?? ModelEndpoint.None)));
        services.AddSingleton<MemoryVectorIndex>();
        services.AddSingleton<MemoryVectorSearch>();
        services.AddSingleton<MemoryVectorIndexer>();
        services.AddSingleton<MemorySearch>();
        services.AddSingleton<WorkingMemory>();
        services.AddSingleton<MemoryExplorer>();
        services.AddSingleton<RecordTransfer>();
        services.AddSingleton<MemoryCondenser>();
        services.AddSingleton<MemoryRetention>();
        services.AddSingleton<MemoryRetentionService>();
        return services;
    }

    /// <summary>The hourly condensation and retention job; the app adds it, store-only hosts (tests, tools) need not.</summary>
    public static IServiceCollection AddBlazorOsMemoryJobs(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<MemoryRetentionService>());
        services.AddHostedService(sp => sp.GetRequiredService<MemoryVectorIndexer>());
        return services;
    }
}
