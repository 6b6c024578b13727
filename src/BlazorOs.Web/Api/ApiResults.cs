using System.Text.Json;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Playbooks.Definition;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorOs.Web.Api;

/// <summary>RFC 7807 problem details for the answers every feature gives.</summary>
internal static class ApiResults
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>400 with every problem listed under <c>problems</c>: node id, field and message each.</summary>
    public static ProblemHttpResult Problems(string detail, IReadOnlyList<PlaybookProblem> problems) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid", detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["problems"] = problems.Select(p => new { nodeId = p.NodeId, field = p.Field, message = p.Message }).ToList(),
            });

    /// <summary>400 with the messages of every bad field under <c>errors</c>, keyed by the field's name as the client sent it.</summary>
    public static ValidationProblem Invalid(string detail, IReadOnlyList<MemoryProblem> problems) =>
        TypedResults.ValidationProblem(
            problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            detail: $"{detail} {string.Join(" ", problems.Select(p => $"{p.Field}: {p.Message}"))}",
            title: "Invalid");
}

/// <summary>Reads JSON bodies so that a body of the wrong shape is a 400 that names the field, not a bare 400.</summary>
internal static class ApiBody
{
    public static async Task<(T? Value, ValidationProblem? Invalid)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Invalid("body", "Send a JSON object with 'Content-Type: application/json'."));
        }

        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken) is { } value
                ? (value, null)
                : (null, Invalid("body", "Send a JSON object, not null."));
        }
        catch (JsonException ex)
        {
            // Path is "$.confidence" for a field of the wrong JSON type, "$" (or none) when the body itself is broken.
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return (null, Invalid(field, field == "body" ? "The body is not a JSON object." : "This field has the wrong JSON type."));
        }
    }

    private static ValidationProblem Invalid(string field, string message) =>
        ApiResults.Invalid("The body cannot be read.", [new MemoryProblem(field, message)]);
}

internal static class ApiJson
{
    /// <summary>Stored JSON as a node, so API clients get objects rather than JSON inside strings.</summary>
    public static System.Text.Json.Nodes.JsonNode? Parse(string? json) => json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json);
}
