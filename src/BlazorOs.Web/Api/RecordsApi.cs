using System.Security.Claims;
using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorOs.Web.Api;

/// <summary>What an import did: rows read, records written, and every problem (row, field, message).</summary>
public sealed record ImportReportView(int Rows, int Imported, IReadOnlyList<ImportProblem> Problems);

/// <summary>A record: its type's name, title (its first field), values as the type names its fields, scope, revision and provenance.</summary>
public sealed record RecordView(Guid Id, string Type, string Title, JsonObject Values, string Scope, int Revision, DateTime CreatedAt,
    DateTime UpdatedAt, ProvenanceView? Provenance)
{
    public static RecordView Of(MemoryRecord r) => new(r.Id, r.Type?.Name ?? string.Empty, r.Title, r.Values, r.Scope, r.Revision, r.CreatedAt,
        r.UpdatedAt, ProvenanceView.Of(r.Provenance));
}

/// <summary>One page of records and how many match in all.</summary>
public sealed record RecordPageView(IReadOnlyList<RecordView> Items, int Total, int Page, int PageSize);

/// <summary>A record type: its name (as URLs use it), label, whether it is built in, and its fields (the first is the title).</summary>
public sealed record RecordTypeView(string Name, string Label, bool IsBuiltIn, IReadOnlyList<RecordField> Fields, DateTime UpdatedAt)
{
    public static RecordTypeView Of(RecordType t) => new(t.Name, t.Label, t.IsBuiltIn, t.Fields, t.UpdatedAt);
}

/// <summary>A new record: its values (checked against the type) and, optionally, its scope (default business).</summary>
public sealed record RecordInput(JsonObject? Values, string? Scope = null);

/// <summary>A record's new values (all of them, not a patch), why, and the revision the caller read.</summary>
public sealed record RecordChange(JsonObject? Values, string? Reason = null, int? Revision = null);

/// <summary>
/// Records: read, written and changed one by one, with provenance and revisions, checked against their record type; and in
/// and out as JSON or CSV files.
/// </summary>
internal static class RecordsApi
{
    private const long MaxImportBytes = 20 * 1024 * 1024;
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapRecordsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/memory/record-types", TypesAsync).WithTags("Memory").WithName("GetRecordTypes")
            .WithSummary("The record types (built-in first) with their fields");
        var group = endpoints.MapGroup("/memory/records").WithTags("Memory");
        group.MapGet("", ListAsync).WithName("ListRecords").WithSummary("One page of records, by title")
            .WithDescription($"`type`: only this record type; `scope`: only this scope; `page` from 0, `pageSize` 1 to {MaxPageSize} " +
                $"(default {DefaultPageSize}). The answer has `items`, `total` (every match), `page` and `pageSize`.")
            .ProducesValidationProblem();
        group.MapPost("/{type}", AddAsync).WithName("AddRecord").WithSummary("Write a record of a type")
            .WithDescription("`values` are checked against the record type: every bad or unknown field, and every missing required one, " +
                "is named under `errors` (keyed by the field's name) and nothing is written. `scope` defaults to business. Its provenance " +
                "is the caller.")
            .Accepts<RecordInput>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetRecord").WithSummary("One record with its provenance")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", ChangeAsync).WithName("ChangeRecord").WithSummary("Change a record's values: a new revision")
            .WithDescription("`values`: all the values (not a patch), checked as on create; `reason` says why. With `revision` (the one " +
                "you read), a record changed since is a 409. The same values again store no revision.")
            .Accepts<RecordChange>("application/json").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/revisions", RevisionsAsync).WithName("GetRecordRevisions")
            .WithSummary("A record's history, oldest first: old → new values, who, when, why")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/revert", RevertAsync).WithName("RevertRecord")
            .WithSummary("Restore an earlier revision's values: a new revision")
            .WithDescription(MemoryItemApi.RevertDescription + " The old values are checked against the record type as it is now.")
            .Accepts<ItemRevert>("application/json").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{type}/export", ExportAsync).WithName("ExportRecords").WithSummary("A record type's records as a JSON or CSV file")
            .WithDescription("`format`: json (an array of { id, scope, values }) or csv (a header of field names and `_scope`). `scope`: only one scope.")
            .Produces<string>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{type}/import", ImportAsync).WithName("ImportRecords").WithSummary("Import records from a JSON or CSV body")
            .WithDescription("The body is the file (`format`: json or csv). Every row is checked against the record type; any bad row makes " +
                "the answer a 400 listing every problem (row, field, message) and nothing is written, unless `importValidRows=true`, " +
                "which writes the good rows and reports the bad ones.")
            .Accepts<string>("text/csv", "application/json").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(string type, string? format,
        string? scope, RecordTransfer transfer, CancellationToken cancellationToken)
    {
        if (Format(format) is not { } parsed)
        {
            return ApiResults.Invalid("Nothing was exported.", [new MemoryProblem("format", "Use json or csv.")]);
        }

        try
        {
            var text = await transfer.ExportAsync(type, parsed, string.IsNullOrWhiteSpace(scope) ? null : scope, cancellationToken);
            var (contentType, extension) = parsed == RecordFormat.Json ? ("application/json", "json") : ("text/csv", "csv");
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(text), $"{contentType}; charset=utf-8", $"{type}.{extension}");
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
    }

    private static async Task<Results<Ok<ImportReportView>, ValidationProblem, ProblemHttpResult>> ImportAsync(string type, string? format,
        bool? importValidRows, HttpRequest request, ClaimsPrincipal user, RecordTransfer transfer, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (Format(format) is not { } parsed)
        {
            return ApiResults.Invalid("Nothing was imported.", [new MemoryProblem("format", "Use json or csv.")]);
        }

        if (request.ContentLength is > MaxImportBytes)
        {
            return ApiResults.Invalid("Nothing was imported.", [new MemoryProblem("body", $"At most {MaxImportBytes / 1024 / 1024} MB per import.")]);
        }

        using var reader = new StreamReader(request.Body);
        var content = await reader.ReadToEndAsync(cancellationToken);
        var provenance = Provenance.Of(ProvenanceSource.Import, OperatorAccount.OperatorName, clock.GetUtcNow().UtcDateTime,
            detail: $"HTTP import of {type} records ({parsed.ToString().ToLowerInvariant()}){(user.Identity?.Name is { } key ? $" by {key}" : string.Empty)}");
        try
        {
            var report = await transfer.ImportAsync(type, parsed, content, importValidRows ?? false, provenance, cancellationToken);
            return report.Problems.Count > 0 && report.Imported == 0
                ? ApiResults.Invalid($"Nothing was imported: {report.Problems.Count} problem(s) in {report.Rows} row(s).",
                    [.. report.Problems.Select(p => new MemoryProblem($"row {p.Row}: {p.Field}", p.Message))])
                : TypedResults.Ok(new ImportReportView(report.Rows, report.Imported, report.Problems));
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
    }

    private static async Task<Ok<List<RecordTypeView>>> TypesAsync(RecordService records, CancellationToken cancellationToken) =>
        TypedResults.Ok((await records.TypesAsync(cancellationToken)).Select(RecordTypeView.Of).ToList());

    private static async Task<Results<Ok<RecordPageView>, ValidationProblem>> ListAsync(string? type, string? scope, int? page, int? pageSize,
        RecordService records, CancellationToken cancellationToken)
    {
        var problems = new List<MemoryProblem>();
        if (!string.IsNullOrEmpty(type) && await records.TypeAsync(type, cancellationToken) is null)
        {
            var names = (await records.TypesAsync(cancellationToken)).Select(t => t.Name);
            problems.Add(new MemoryProblem("type", $"There is no record type '{type}'. Use one of: {string.Join(", ", names)}."));
        }

        if (!string.IsNullOrEmpty(scope) && !MemoryScope.IsValid(scope))
        {
            problems.Add(new MemoryProblem("scope", $"'{scope}' is not a scope: use {MemoryScope.FormatDescription}."));
        }

        if (page is < 0)
        {
            problems.Add(new MemoryProblem("page", "Pages are counted from 0."));
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            problems.Add(new MemoryProblem("pageSize", $"A page has 1 to {MaxPageSize} records."));
        }

        if (problems.Count > 0)
        {
            return ApiResults.Invalid("The records cannot be listed with these parameters.", problems);
        }

        var (number, size) = (page ?? 0, pageSize ?? DefaultPageSize);
        var (items, total) = await records.PageAsync(string.IsNullOrEmpty(type) ? null : type, string.IsNullOrEmpty(scope) ? null : scope,
            number, size, cancellationToken);
        return TypedResults.Ok(new RecordPageView([.. items.Select(RecordView.Of)], total, number, size));
    }

    private static async Task<Results<Created<RecordView>, ValidationProblem, ProblemHttpResult>> AddAsync(string type, HttpRequest request,
        ClaimsPrincipal user, RecordService records, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (input, invalid) = await ApiBody.ReadAsync<RecordInput>(request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        try
        {
            var record = await records.AddAsync(type, input!.Values ?? [], input.Scope, MemoryApi.ProvenanceOf(user, clock), cancellationToken);
            return TypedResults.Created($"/api/memory/records/{record.Id}", RecordView.Of(record));
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResults.NotFound(ex.Message);
        }
        catch (MemoryValidationException ex)
        {
            return ApiResults.Invalid($"The {type} record is not valid. Nothing was written.", ex.Problems);
        }
    }

    private static async Task<Results<Ok<RecordView>, ProblemHttpResult>> GetAsync(Guid id, RecordService records,
        CancellationToken cancellationToken) =>
        await records.GetAsync(id, cancellationToken) is { } record ? TypedResults.Ok(RecordView.Of(record)) : NotFound(id);

    private static async Task<Results<Ok<RecordView>, ValidationProblem, ProblemHttpResult>> ChangeAsync(Guid id, HttpRequest request,
        ClaimsPrincipal user, RecordService records, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (change, invalid) = await ApiBody.ReadAsync<RecordChange>(request, cancellationToken);
        return invalid is not null
            ? invalid
            : await MemoryItemApi.WriteAsync(async () => RecordView.Of(await records.ChangeAsync(id, change!.Values ?? [],
                MemoryApi.ProvenanceOf(user, clock), change.Reason, change.Revision, cancellationToken)), "The change is not valid. Nothing was written.");
    }

    private static async Task<Results<Ok<List<MemoryRevisionView>>, ProblemHttpResult>> RevisionsAsync(Guid id, RecordService records,
        CancellationToken cancellationToken) =>
        await records.RevisionsAsync(id, cancellationToken) is { } revisions
            ? TypedResults.Ok(revisions.Select(MemoryRevisionView.Of).ToList())
            : NotFound(id);

    private static Task<Results<Ok<RecordView>, ValidationProblem, ProblemHttpResult>> RevertAsync(Guid id, HttpRequest request,
        ClaimsPrincipal user, RecordService records, TimeProvider clock, CancellationToken cancellationToken) =>
        MemoryItemApi.RevertAsync(request, async () => await records.GetAsync(id, cancellationToken) is not null, NotFound(id),
            async (toRevision, revert) => RecordView.Of(await records.RevertAsync(id, toRevision, MemoryApi.ProvenanceOf(user, clock),
                revert.Reason, revert.Revision, cancellationToken)), cancellationToken);

    private static ProblemHttpResult NotFound(Guid id) => ApiResults.NotFound($"Record {id} does not exist.");

    private static RecordFormat? Format(string? format) => format?.ToLowerInvariant() switch
    {
        "json" => RecordFormat.Json,
        "csv" => RecordFormat.Csv,
        _ => null,
    };
}
