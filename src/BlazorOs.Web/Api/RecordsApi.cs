using System.Security.Claims;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorOs.Web.Api;

/// <summary>What an import did: rows read, records written, and every problem (row, field, message).</summary>
public sealed record ImportReportView(int Rows, int Imported, IReadOnlyList<ImportProblem> Problems);

/// <summary>Records in and out as JSON or CSV, checked against their record type.</summary>
internal static class RecordsApi
{
    private const long MaxImportBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapRecordsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/memory/records").WithTags("Memory");
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

    private static RecordFormat? Format(string? format) => format?.ToLowerInvariant() switch
    {
        "json" => RecordFormat.Json,
        "csv" => RecordFormat.Csv,
        _ => null,
    };
}
