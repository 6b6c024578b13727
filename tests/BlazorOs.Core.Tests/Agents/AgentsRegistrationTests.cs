using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Agents;

public sealed class AgentsRegistrationTests
{
    [Theory]
    [InlineData("http://127.0.0.1:11434/v1", "llama3.1", true)]
    [InlineData(null, null, false)]
    [InlineData("http://127.0.0.1:11434/v1", null, false)]
    public async Task AddBlazorOsAgents_registers_one_invoker_that_is_available_only_with_a_model(string? url, string? model, bool available)
    {
        await using var store = TempStore.Create();
        var services = new ServiceCollection()
            .AddLogging()
            .AddBlazorOsData(store.Settings)
            .AddSingleton(new ModelEndpoint(url is null ? null : new Uri(url), null, model, null))
            .AddBlazorOsMemory()
            .AddBlazorOsAgents();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var invoker = provider.GetRequiredService<IAgentInvoker>();

        Assert.IsType<SemanticKernelAgentInvoker>(invoker);
        Assert.Same(invoker, provider.GetRequiredService<IAgentInvoker>());
        Assert.Equal(available, invoker.IsAvailable);
        Assert.NotNull(provider.GetRequiredService<ModelPriceTable>());
    }
}
