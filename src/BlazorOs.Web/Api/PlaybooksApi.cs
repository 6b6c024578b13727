using BlazorOs.Core.Data;
using System.Text.Json;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Definition;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Api;

public sealed record PlaybookSummary(Guid Id, string Name, string? Description, DelegationLevel Delegation, int LatestVersion, DateTime UpdatedAt);

public sealed record PlaybookVersionSummary(int Number, string Schema, string ContentHash, DateTime CreatedAt);

public sealed record PlaybookDetail(Guid Id, string Name, string? Description, DelegationLevel Delegation, int LatestVersion,
    DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<PlaybookVersionSummary> Versions);

internal static class PlaybooksApi
{
    public static RouteGroupBuilder MapPlaybooksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/playbooks").WithTags("Playbooks");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/", ImportAsync).Accepts<JsonElement>("application/json");
        group.MapPut("/{id:guid}", SaveAsync).Accepts<JsonElement>("application/json");
        group.MapGet("/{id:guid}/versions/{number:int}", ExportAsync);
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
