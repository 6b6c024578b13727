using BlazorOs.Core.Playbooks.Definition;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorOs.Web.Api;

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
}

internal static class ApiJson
{
    /// <summary>Stored JSON as a node, so API clients get objects rather than JSON inside strings.</summary>
    public static System.Text.Json.Nodes.JsonNode? Parse(string? json) => json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json);
}
