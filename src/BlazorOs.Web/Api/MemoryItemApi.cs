using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorOs.Web.Api;

/// <summary>
/// One revision of a decision or a record: its content before (null for the first) and after, as JSON in the shape the item
/// is read (a decision's <c>{ title, rationale, alternatives }</c>, a record's values), why, and who and when.
/// </summary>
public sealed record MemoryRevisionView(int Number, JsonNode? Old, JsonNode New, string? Reason, ProvenanceView? Provenance)
{
    public static MemoryRevisionView Of(MemoryRevision r) =>
        new(r.Number, ApiJson.Parse(r.OldJson), ApiJson.Parse(r.NewJson)!, r.Reason, ProvenanceView.Of(r.Provenance));
}

/// <summary>
/// Restores an earlier revision of a decision or a record as a new revision. <c>toRevision</c> is required; <c>reason</c>
/// says why; <c>revision</c>, when given, is the revision the caller read: the revert is refused if the item has moved on since.
/// </summary>
public sealed record ItemRevert(int? ToRevision, string? Reason = null, int? Revision = null);

/// <summary>The answers that writes to a memory item share: its view, 400 naming every bad field, 404, 409.</summary>
internal static class MemoryItemApi
{
    public const string RevertDescription = "`toRevision`: the revision whose content comes back; `reason` says why (stored as " +
        "\"Reverted to revision n: reason\"). History is not rewritten: the revert is the item's next revision. With `revision` " +
        "(the one you read), an item changed since is a 409. A revision that does not exist, or whose content the item has now, is a 400.";

    /// <summary>Runs a write, turning the services' exceptions into problem details; <paramref name="what"/> starts the 400's detail.</summary>
    public static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> WriteAsync<TView>(Func<Task<TView>> write, string what)
    {
        try
        {
            return TypedResults.Ok(await write());
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
        catch (MemoryValidationException ex)
        {
            return ApiResults.Invalid(what, ex.Problems);
        }
        catch (FactConflictException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }
    }

    /// <summary>
    /// Reads an <see cref="ItemRevert"/> and reverts: an unknown item is a 404 whatever the body says, a missing
    /// <c>toRevision</c> a 400.
    /// </summary>
    public static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> RevertAsync<TView>(HttpRequest request,
        Func<Task<bool>> exists, ProblemHttpResult notFound, Func<int, ItemRevert, Task<TView>> revert, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ApiBody.ReadAsync<ItemRevert>(request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        if (body!.ToRevision is not { } toRevision)
        {
            return await exists()
                ? ApiResults.Invalid("Nothing was reverted.", [new MemoryProblem("toRevision", "Name the revision to go back to, e.g. 1.")])
                : notFound;
        }

        return await WriteAsync(() => revert(toRevision, body), "Nothing was reverted.");
    }
}
