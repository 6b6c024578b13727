using BlazorOs.Core.Activities.Kinds;
using BlazorOs.Core.Activities.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BlazorOs.Core.Activities;

public static class ActivitiesServiceCollectionExtensions
{
    /// <summary>
    /// The node kinds, their catalog, Liquid and JavaScript, and the HTTP client the <c>http</c> kind sends with.
    /// Activities take only what validation needs in their constructors; what running needs from other features
    /// (the effect ledger, memory, the model, the engine's sub-run starter) they resolve from the step's services,
    /// so the catalog can check a playbook without a store, a model or an engine.
    /// </summary>
    public static IServiceCollection AddBlazorOsActivities(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ActivityCatalog)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ITemplateRenderer, FluidTemplateRenderer>();
        services.AddSingleton<IScriptEvaluator, JintScriptEvaluator>();
        services.AddSingleton<SettingsValidator>();

        services.AddSingleton<IActivity, ManualTriggerActivity>();
        services.AddSingleton<IActivity, ScheduleTriggerActivity>();
        services.AddSingleton<IActivity, WebhookTriggerActivity>();
        services.AddSingleton<IActivity, AgentActivity>();
        services.AddSingleton<IActivity, HttpActivity>();
        services.AddSingleton<IActivity, ConditionActivity>();
        services.AddSingleton<IActivity, SwitchActivity>();
        services.AddSingleton<IActivity, ParallelActivity>();
        services.AddSingleton<IActivity, JoinActivity>();
        services.AddSingleton<IActivity, ApprovalActivity>();
        services.AddSingleton<IActivity, DelayActivity>();
        services.AddSingleton<IActivity, MemoryReadActivity>();
        services.AddSingleton<IActivity, MemoryWriteActivity>();
        services.AddSingleton<IActivity, SubPlaybookActivity>();
        services.AddSingleton<IActivity, EndActivity>();
        services.AddSingleton<ActivityCatalog>();

        services.AddHttpClient(HttpActivity.ClientName, client =>
        {
            client.Timeout = TimeSpan.FromSeconds(100);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("BlazorOs/1.0");
        });
        return services;
    }
}
