using BlazorOs.Core.Activities;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks.Definition;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Playbooks;

public static class PlaybooksServiceCollectionExtensions
{
    /// <summary>Import, versions and export of playbook documents; brings the activity catalog the validator needs.</summary>
    public static IServiceCollection AddBlazorOsPlaybooks(this IServiceCollection services)
    {
        services.AddBlazorOsActivities();
        services.AddSingleton<PlaybookService>();
        services.AddSingleton<IPlaybookDefinitionSource, PlaybookDefinitionSource>();
        return services;
    }
}
