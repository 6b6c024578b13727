using BlazorOs.Web.Auth;
using Microsoft.OpenApi;

namespace BlazorOs.Web.Api;

/// <summary>
/// The HTTP API of CONTRACTS §2 and its OpenAPI description at <c>/openapi/v1.json</c>. Everything under <c>/api</c>, and
/// the document itself, needs the operator (the fallback policy): an API key (<c>Authorization: Bearer</c>) or the session
/// cookie. Errors are RFC 7807 problem details.
/// </summary>
public static class BlazorOsApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    private const string BearerScheme = "apiKey";
    private const string CookieScheme = "session";
    private const string WebhookScheme = "webhookSecret";

    public static IServiceCollection AddBlazorOsApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // Only the API: not the pages, sign-in forms or static files that share the route table.
            options.ShouldInclude = description => description.RelativePath is { } path
                && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("hooks/", StringComparison.Ordinal));
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapBlazorOsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPlaybooksApi();
        api.MapRunsApi();
        api.MapApprovalsApi();
        api.MapMemoryApi();
        api.MapDecisionsApi();
        api.MapRecordsApi();
        endpoints.MapHooksApi();
        endpoints.MapOpenApi(DocumentPath).ExcludeFromDescription();
        return endpoints;
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "BlazorOs API",
            Version = DocumentName,
            Description = "Playbooks, runs, approvals and memory of a BlazorOs instance (CONTRACTS §2). Every /api call needs " +
                "'Authorization: Bearer <api key>' (the first key can be given as BLAZOROS_API_KEY; more are made in Settings) " +
                "or the operator's session cookie. Errors are RFC 7807 problem details (application/problem+json).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: 'Authorization: Bearer <api key>'.",
        };
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = AuthServiceCollectionExtensions.CookieName,
            Description = "The operator's session after signing in at /signin.",
        };
        document.Components.SecuritySchemes[WebhookScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = HooksApi.SecretHeader,
            Description = "The playbook's webhook secret.",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] },
        ];

        foreach (var (path, item) in document.Paths.Where(p => p.Key.StartsWith("/hooks/", StringComparison.Ordinal)))
        {
            foreach (var operation in item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(WebhookScheme, document)] = [] }];
            }
        }

        // /health is a health-check endpoint, not a route handler, so the API explorer does not see it.
        var health = new OpenApiPathItem();
        health.AddOperation(HttpMethod.Get, new OpenApiOperation
        {
            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            OperationId = "Health",
            Summary = "Liveness and database check; needs no authentication",
            Security = [],
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy: {\"status\":\"Healthy\",\"checks\":{...}}" },
                ["503"] = new OpenApiResponse { Description = "Unhealthy, with the reason per check" },
            },
        });
        document.Paths["/health"] = health;
    }
}
