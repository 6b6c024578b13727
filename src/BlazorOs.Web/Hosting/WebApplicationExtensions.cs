using BlazorOs.Web.Api;
using BlazorOs.Web.Auth;
using BlazorOs.Web.Components;
using BlazorOs.Web.Health;
using BlazorOs.Web.Hubs;
using Microsoft.AspNetCore.Diagnostics;

namespace BlazorOs.Web.Hosting;

public static class WebApplicationExtensions
{
    /// <summary>The request pipeline, in order, and every endpoint the app serves.</summary>
    public static WebApplication UseBlazorOs(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        // A page view that ends in an empty 404 shows the not-found page; API clients get problem details instead,
        // and a refused POST (a form without its antiforgery token) keeps its 400 rather than being re-executed.
        // The re-execute must sit in the main pipeline: inside UseWhen the re-executed request is not routed again.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            var pageView = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            if ((ApiProblems.IsApiRequest(context.Request) || !pageView) && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
        app.UseWhen(context => ApiProblems.IsApiRequest(context.Request), api => api.UseStatusCodePages());
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealth();
        app.MapAccountEndpoints();
        app.MapBlazorOsApi();
        app.MapHub<TraceHub>(TraceHub.Path);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
