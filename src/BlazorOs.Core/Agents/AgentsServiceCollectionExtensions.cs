using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Agents;

public static class AgentsServiceCollectionExtensions
{
    /// <summary>
    /// The agent invoker (Semantic Kernel, one shared pair of HTTP clients) and the price table. Needs the
    /// <see cref="ModelEndpoint"/>, <c>FactService</c> and <c>SettingsStore</c> registered by the other features.
    /// </summary>
    public static IServiceCollection AddBlazorOsAgents(this IServiceCollection services)
    {
        services.AddSingleton<ModelPriceTable>();
        services.AddSingleton<IAgentInvoker, SemanticKernelAgentInvoker>();
        return services;
    }
}
