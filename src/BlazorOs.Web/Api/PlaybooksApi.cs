using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Definition;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Api;

public sealed record PlaybookSummary(Guid Id, string Name, string? Description, DelegationLevel Delegation, int LatestVersion, DateTime UpdatedAt);

public sealed record PlaybookVersionSummary(int Number, string Schema, string ContentHash, DateTime CreatedAt);

public sealed record PlaybookDetail(Guid Id, string Name, string? Description, DelegationLevel Delegation, int LatestVersion,
    DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<PlaybookVersionSummary> Versions);

/// <param name="Inputs">The run's inputs, by the names the playbook declares.</param>
/// <param name="GoalId">The goal the run serves, if any.</param>
public sealed record StartRunRequest(JsonObject? Inputs, Guid? GoalId);

public sealed record StartRunResponse(Guid RunId);

/// <summary>Playbooks: import, list, read, version, export, and start a run of one (CONTRACTS §1 and §2).</summary>
internal static class PlaybooksApi
{
    private const string DefinitionNote = "The body is a `blazoros/playbook@1` document (CONTRACTS §1).";

    public static RouteGroupBuilder MapPlaybooksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/playbooks").WithTags("Playbooks");
        group.MapGet("/", ListAsync).WithName("ListPlaybooks").WithSummary("List the playbooks, by name");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetPlaybook").WithSummary("One playbook with its versions, newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", ImportAsync).WithName("ImportPlaybook").WithSummary("Import a playbook definition as version 1")
            .WithDescription($"{DefinitionNote} An invalid document is refused with every problem listed under `problems` " +
                "(nodeId, field, message); nothing is saved.")
            .Accepts<JsonElement>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPut("/{id:guid}", SaveAsync).WithName("SavePlaybookVersion").WithSummary("Save a new version of a playbook")
            .WithDescription($"{DefinitionNote} The same document as the latest version stores nothing and returns that version.")
            .Accepts<JsonElement>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/versions/{number:int}", ExportAsync).WithName("ExportPlaybookVersion")
            .WithSummary("The definition JSON of one version, as the engine runs it")
            .Produces<JsonElement>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/runs", StartRunAsync).WithName("StartRun").WithSummary("Start a run of the playbook's latest version")
            .WithDescription("Returns at once with the run's id; follow it at `GET /api/runs/{runId}`. Inputs that do not fit the " +
                "playbook's declared inputs are refused with every problem listed under `problems`.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Ok<List<PlaybookSummary>>> ListAsync(IDbContextFactory<BlazorOsDbContext> dbFactory,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var playbooks = await db.Playbooks.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new PlaybookSummary(p.Id, p.Name, p.Description, p.Delegation, p.LatestVersion, p.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(playbooks);
    }

    private static async Task<Results<Created<PlaybookVersionRef>, ProblemHttpResult>> ImportAsync(HttpRequest request,
        PlaybookService playbooks, CancellationToken cancellationToken)
    {
        try
        {
            var imported = await playbooks.ImportAsync(await ReadBodyAsync(request, cancellationToken), cancellationToken);
            return TypedResults.Created($"/api/playbooks/{imported.Id}", imported);
        }
        catch (PlaybookValidationException ex)
        {
            return ApiResults.Problems($"The playbook is not valid: {ex.Problems.Count} problem(s). Nothing was saved.", ex.Problems);
        }
    }

    private static async Task<Results<Ok<PlaybookVersionRef>, ProblemHttpResult>> SaveAsync(Guid id, HttpRequest request,
        PlaybookService playbooks, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await playbooks.SaveVersionAsync(id, await ReadBodyAsync(request, cancellationToken), cancellationToken));
        }
        catch (PlaybookValidationException ex)
        {
            return ApiResults.Problems($"The playbook is not valid: {ex.Problems.Count} problem(s). Nothing was saved.", ex.Problems);
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportAsync(Guid id, int number, PlaybookService playbooks,
        CancellationToken cancellationToken) =>
        await playbooks.GetVersionAsync(id, number, cancellationToken) is { } json
            ? TypedResults.Text(json, "application/json")
            : ApiResults.NotFound($"Playbook {id} has no version {number}.");

    private static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> StartRunAsync(Guid id, StartRunRequest? request,
        IPlaybookEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            var runId = await engine.StartAsync(new StartRun(id, request?.Inputs ?? [], RunTrigger.Api, request?.GoalId), cancellationToken);
            return TypedResults.Accepted($"/api/runs/{runId}", new StartRunResponse(runId));
        }
        catch (RunStartException ex) when (ex.Problems.Any(p => p.Field == "playbookId"))
        {
            return ApiResults.NotFound(ex.Message);
        }
        catch (RunStartException ex)
        {
            return ApiResults.Problems("The run cannot start with these inputs.", ex.Problems);
        }
    }

    /// <summary>The raw body, read as text: the validator reports JSON errors itself, with line and position.</summary>
    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[PlaybookDocument.MaxBytes + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return new string(buffer, 0, read);
    }

    private static async Task<Results<Ok<PlaybookDetail>, ProblemHttpResult>> GetAsync(Guid id,
        IDbContextFactory<BlazorOsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var playbook = await db.Playbooks.AsNoTracking().Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (playbook is null)
        {
            return ApiResults.NotFound($"Playbook {id} does not exist.");
        }

        var versions = playbook.Versions.OrderByDescending(v => v.Number)
            .Select(v => new PlaybookVersionSummary(v.Number, v.Schema, v.ContentHash, v.CreatedAt)).ToList();
        return TypedResults.Ok(new PlaybookDetail(playbook.Id, playbook.Name, playbook.Description, playbook.Delegation,
            playbook.LatestVersion, playbook.CreatedAt, playbook.UpdatedAt, versions));
    }
}
