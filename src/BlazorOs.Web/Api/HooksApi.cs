using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Api;

/// <summary>
/// <c>POST /hooks/{playbookId}</c>: starts a run of a playbook whose trigger is <c>trigger.webhook</c>. Needs no
/// operator session: the playbook's <c>webhookSecret</c> in <c>X-BlazorOs-Secret</c> is the credential. The JSON
/// body becomes the run's inputs; a playbook that declares an input named <c>payload</c> gets the whole body there
/// instead, so it can accept any sender's shape.
/// </summary>
internal static class HooksApi
{
    public const string SecretHeader = "X-BlazorOs-Secret";
    private const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapHooksApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/hooks/{playbookId:guid}", StartAsync).AllowAnonymous().DisableAntiforgery()
            .RequireRateLimiting(AuthServiceCollectionExtensions.HooksRateLimit).WithTags("Webhooks")
            .WithName("Webhook").WithSummary("Start a run of a webhook-triggered playbook")
            .WithDescription($"Needs the playbook's webhook secret in `{SecretHeader}`, not operator auth. The JSON body becomes the " +
                "run's inputs (or the input `payload`, when the playbook declares one).")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return endpoints;
    }

    private static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> StartAsync(Guid playbookId, HttpRequest request,
        IDbContextFactory<BlazorOsDbContext> dbFactory, IPlaybookDefinitionSource definitions, IPlaybookEngine engine,
        CancellationToken cancellationToken)
    {
        string? definitionJson;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            definitionJson = await db.Playbooks.Where(p => p.Id == playbookId)
                .Join(db.PlaybookVersions, p => new { p.Id, Number = p.LatestVersion }, v => new { Id = v.PlaybookId, v.Number }, (p, v) => v.Definition)
                .SingleOrDefaultAsync(cancellationToken);
        }

        // The same answer for "no such playbook", "not a webhook playbook" and "wrong secret": no probing for ids.
        var definition = definitionJson is null ? null : definitions.Parse(definitionJson);
        if (definition is null || definition.WebhookSecret is null || definition.Nodes.All(n => n.Kind != "trigger.webhook")
            || !SecretMatches(request.Headers[SecretHeader].ToString(), definition.WebhookSecret))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Webhook refused",
                detail: $"Unknown webhook, or '{SecretHeader}' does not hold its secret.");
        }

        JsonNode? body;
        try
        {
            body = request.ContentLength is 0 ? null : await JsonNode.ParseAsync(new LimitedStream(request.Body, MaxBodyBytes), cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            return ApiResults.BadRequest($"The body is not JSON: {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            return ApiResults.BadRequest(ex.Message);
        }

        JsonObject inputs;
        if (definition.Inputs.Any(i => i.Name == "payload"))
        {
            inputs = new JsonObject { ["payload"] = body };
        }
        else if (body is JsonObject fields)
        {
            inputs = fields;
        }
        else if (body is null)
        {
            inputs = [];
        }
        else
        {
            return ApiResults.BadRequest("The body must be a JSON object whose fields are the playbook's inputs.");
        }

        try
        {
            var runId = await engine.StartAsync(new StartRun(playbookId, inputs, RunTrigger.Webhook), cancellationToken);
            return TypedResults.Accepted($"/api/runs/{runId}", new StartRunResponse(runId));
        }
        catch (RunStartException ex)
        {
            return ApiResults.Problems("The webhook's body does not fit the playbook's inputs.", ex.Problems);
        }
    }

    private static bool SecretMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>Stops reading a body past a size, so a huge webhook cannot exhaust memory.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new InvalidDataException($"The body is larger than {limit / 1024} KiB.") : read;
        }

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
