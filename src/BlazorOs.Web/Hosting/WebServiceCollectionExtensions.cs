using System.Text.Json.Serialization;
using BlazorOs.Core;
using BlazorOs.Web.Api;
using BlazorOs.Web.Auth;
using BlazorOs.Web.Health;
using BlazorOs.Web.Hubs;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BlazorOs.Web.Hosting;

public static class WebServiceCollectionExtensions
{
    /// <summary>The web host's part: UI, auth, API, health and telemetry, on top of <see cref="CoreServiceCollectionExtensions.AddBlazorOsCore"/>.</summary>
    public static WebApplicationBuilder AddBlazorOsWeb(this WebApplicationBuilder builder, BlazorOsOptions options)
    {
        if (options.Urls is not null)
        {
            builder.WebHost.UseUrls(options.Urls);
        }

        // Serves MudBlazor's and our built assets from the build output too (a no-op after publish, where they are copied).
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddBlazorOsCore(options.Database, options.Model);
        services.AddOperatorAuth();
        services.AddTraceHub();

        // Keys under the data folder: without them every restart would sign the operator out.
        services.AddDataProtection().SetApplicationName("BlazorOs").PersistKeysToFileSystem(new DirectoryInfo(options.KeysFolder));

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddProblemDetails();
        services.AddBlazorOsApi();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.AddTelemetry();
        return builder;
    }

    /// <summary>Traces and metrics are always collected; they leave the process only when an OTLP endpoint is set.</summary>
    private static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(BlazorOsTelemetry.Name))
            .WithTracing(tracing => tracing.AddSource(BlazorOsTelemetry.Name).AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter(BlazorOsTelemetry.Name).AddAspNetCoreInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }
}
