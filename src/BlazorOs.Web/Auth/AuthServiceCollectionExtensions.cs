using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace BlazorOs.Web.Auth;

public static class AuthServiceCollectionExtensions
{
    public const string CookieName = "blazoros.auth";
    public const string StampClaim = "blazoros:password-stamp";
    public const string SignInRateLimit = "signin";
    public const string HooksRateLimit = "hooks";
    private const string OperatorScheme = "Operator";

    /// <summary>
    /// One operator: a cookie for the browser, API keys for automation, and a fallback policy so that every
    /// endpoint (pages, hubs, /api) needs one of them unless it says <c>AllowAnonymous</c>.
    /// </summary>
    public static IServiceCollection AddOperatorAuth(this IServiceCollection services)
    {
        services.AddSingleton<OperatorAccount>();
        services.AddAuthentication(OperatorScheme)
            .AddPolicyScheme(OperatorScheme, "Cookie or API key", options => options.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.BearerToken(context.Request) is null
                    ? CookieAuthenticationDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromDays(7);
                options.SlidingExpiration = true;
                options.LoginPath = "/signin";
                options.LogoutPath = "/account/signout";
                options.AccessDeniedPath = "/signin";
                options.Events.OnRedirectToLogin = context => ApiProblems.IsApiRequest(context.Request)
                    ? ApiProblems.WriteUnauthorizedAsync(context.HttpContext, "Sign in, or send 'Authorization: Bearer <api key>'.")
                    : RedirectAsync(context);
                options.Events.OnRedirectToAccessDenied = context => ApiProblems.IsApiRequest(context.Request)
                    ? ApiProblems.WriteForbiddenAsync(context.HttpContext)
                    : RedirectAsync(context);
                options.Events.OnValidatePrincipal = RejectStalePasswordAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();

        services.AddRateLimiter(options =>
        {
            // Per client address: a few tries a minute stop guessing and never bother the real operator.
            options.AddPolicy(SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 5, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // Webhooks come from other services: generous, but bounded per sender.
            options.AddPolicy(HooksRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 120, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                if (ApiProblems.IsApiRequest(http.Request))
                {
                    await ApiProblems.WriteTooManyRequestsAsync(http);
                    return;
                }

                http.Response.StatusCode = StatusCodes.Status303SeeOther;
                http.Response.Headers.Location = "/signin?error=throttled";
            };
        });
        return services;
    }

    /// <summary>A cookie issued before the last password change is no longer good.</summary>
    private static async Task RejectStalePasswordAsync(CookieValidatePrincipalContext context)
    {
        var account = context.HttpContext.RequestServices.GetRequiredService<OperatorAccount>();
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        if (stamp is null || stamp != await account.GetStampAsync(context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
