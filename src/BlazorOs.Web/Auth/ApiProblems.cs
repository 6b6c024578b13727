namespace BlazorOs.Web.Auth;

/// <summary>RFC 7807 bodies for requests the auth layer turns away, so API clients read why.</summary>
internal static class ApiProblems
{
    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/hooks", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);

    public static Task WriteUnauthorizedAsync(HttpContext context, string detail) =>
        WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required", detail);

    public static Task WriteTooManyRequestsAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests", "Slow down and try again in a minute.");

    public static Task WriteForbiddenAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "The operator may not do this.");

    private static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
