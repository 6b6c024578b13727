using System.Security.Claims;
using System.Text.Encodings.Web;
using BlazorOs.Core.Operator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BlazorOs.Web.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against the hashed keys in the store.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService apiKeys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "blazoros:api-key-id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        var key = await apiKeys.VerifyAsync(token, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(KeyIdClaim, key.Id.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteUnauthorizedAsync(Context, BearerToken(Request) is null
            ? "Sign in, or send 'Authorization: Bearer <api key>'."
            : "The API key is unknown or was revoked.");

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7)
        {
            return header[7..].Trim();
        }

        // Browsers cannot set headers on a WebSocket, so SignalR's JS client sends the key as ?access_token= instead;
        // only hub addresses take it there (a key in other URLs would end up in logs and browser history).
        return request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
            && request.Query["access_token"].ToString() is { Length: > 0 } token
                ? token
                : null;
    }
}
