using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace BlazorOs.Web.Auth;

/// <summary>
/// The form posts behind <c>/setup</c> and <c>/signin</c>. Plain HTML forms (antiforgery checked by the
/// minimal-API form binder) because a cookie can only be set on a real HTTP response, not over the circuit.
/// Errors go back as a query code; a typed password is never echoed.
/// </summary>
internal static partial class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Form-bound endpoints validate the antiforgery token by default; sign-out binds no form, so it asks explicitly.
        var account = endpoints.MapGroup("/account").AllowAnonymous();
        account.MapPost("/signin", SignInAsync).RequireRateLimiting(AuthServiceCollectionExtensions.SignInRateLimit);
        account.MapPost("/setup", SetUpAsync).RequireRateLimiting(AuthServiceCollectionExtensions.SignInRateLimit);
        account.MapPost("/signout", (Func<HttpContext, Task<IResult>>)SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return endpoints;
    }

    private static async Task<IResult> SignInAsync([FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext context, OperatorAccount account, ILoggerFactory loggers)
    {
        if (!await account.IsSetUpAsync(context.RequestAborted))
        {
            return Results.LocalRedirect("/setup");
        }

        if (!await account.VerifyAsync(password, context.RequestAborted))
        {
            LogWrongPassword(loggers.CreateLogger(typeof(AccountEndpoints)), context.Connection.RemoteIpAddress?.ToString());
            return Results.Redirect($"/signin?error=wrong{ReturnQuery(returnUrl)}");
        }

        await SignInOperatorAsync(context, account);
        return Results.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    private static async Task<IResult> SetUpAsync([FromForm] string? password, [FromForm] string? confirmation,
        HttpContext context, OperatorAccount account)
    {
        if (await account.IsSetUpAsync(context.RequestAborted))
        {
            return Results.LocalRedirect("/signin");
        }

        switch (OperatorAccount.Check(password, confirmation))
        {
            case PasswordCheck.TooShort:
                return Results.LocalRedirect("/setup?error=short");
            case PasswordCheck.Mismatch:
                return Results.LocalRedirect("/setup?error=mismatch");
        }

        if (!await account.SetUpAsync(password!, context.RequestAborted))
        {
            // Someone else finished setup a moment earlier: their password stands.
            return Results.LocalRedirect("/signin");
        }

        await SignInOperatorAsync(context, account);
        return Results.LocalRedirect("/");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        // The antiforgery middleware only records the verdict; an endpoint that binds no form must act on it,
        // or another site could sign the operator out.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: "The sign-out form is missing its antiforgery token or it expired. Reload the page and sign out again.");
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect("/signin?signedOut=1");
    }

    private static async Task SignInOperatorAsync(HttpContext context, OperatorAccount account)
    {
        var stamp = await account.GetStampAsync(context.RequestAborted) ?? string.Empty;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, OperatorAccount.OperatorName), new Claim(AuthServiceCollectionExtensions.StampClaim, stamp)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>Only paths on this site: an open redirect would let a link send the operator elsewhere after sign-in.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && (returnUrl.Length == 1 || returnUrl[1] is not ('/' or '\\'))
            ? returnUrl
            : "/";

    private static string ReturnQuery(string? returnUrl) =>
        SafeReturnUrl(returnUrl) is var safe && safe != "/" ? "&returnUrl=" + Uri.EscapeDataString(safe) : string.Empty;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wrong operator password from {RemoteAddress}")]
    private static partial void LogWrongPassword(ILogger logger, string? remoteAddress);
}
