using BlazorOs.Core.Activities;
using BlazorOs.Core.Policy;
using BlazorOs.Core.Traces;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Execution.Engine;

public static class ExecutionServiceCollectionExtensions
{
    /// <summary>The engine, its checkpoint store, the effect ledger, traces and the background tick.</summary>
    public static IServiceCollection AddBlazorOsExecution(this IServiceCollection services)
    {
        services.AddSingleton<ITraceBus, TraceBroadcaster>();
        services.AddSingleton<TraceWriter>();
        services.AddSingleton<TraceReader>();
        services.AddSingleton<TraceRetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<TraceRetentionService>());
        services.AddSingleton<PolicyEngine>();
        services.AddSingleton<IEffectLedger, EffectLedger>();
        services.AddSingleton<EfCheckpointStore>();
        services.AddSingleton<RunLedger>();
        services.AddSingleton<StepScopeLoader>();
        services.AddSingleton<ActivityHost>();
        services.AddSingleton<WorkflowCompiler>();
        services.AddSingleton<PlaybookEngine>();
        services.AddSingleton<IPlaybookEngine>(sp => sp.GetRequiredService<PlaybookEngine>());
        services.AddSingleton<ISubPlaybookRunner>(sp => sp.GetRequiredService<PlaybookEngine>());
        services.AddSingleton<ScheduleTrigger>();
        services.AddHostedService<EngineBackgroundService>();
        return services;
    }
}
