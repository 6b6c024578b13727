using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Activities.Kinds;

/// <param name="Body">A Liquid template; to put run data into JSON safely use the <c>json</c> filter.</param>
internal sealed record HttpSettings(string Url, string Method = "GET", JsonObject? Headers = null, string? Body = null);

/// <summary>
/// Calls an HTTP endpoint once per step, even across retries and recovery. Before sending, the call is written to the
/// effect ledger under the step's idempotency key; the key goes out as <c>Idempotency-Key</c>; a call the ledger knows
/// as completed is answered from the ledger without sending. Only successes are completed in the ledger: a refused
/// or failed call may be sent again (same key) when the step is retried.
/// </summary>
internal sealed class HttpActivity(SettingsValidator validator, ITemplateRenderer templates) : IActivity
{
    public const string Kind = "http";

    /// <summary>The named <see cref="IHttpClientFactory"/> client the activity sends with.</summary>
    public const string ClientName = "blazoros-http";

    public const int MaxResponseBytes = 256 * 1024;

    private static readonly string[] KeptResponseHeaders = ["Content-Type", "Content-Length", "Location", "ETag", "Retry-After", "X-Request-Id"];

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "HTTP request",
        "Calls a web API. Sent once per step: it carries an Idempotency-Key, and a completed call is never repeated after a retry or a restart.",
        ActivityCategory.Connector,
        "Icons.Material.Outlined.Http",
        ["next", "error"],
        [
            new SettingField("method", SettingType.Choice, "HTTP method.", Choices: ["GET", "POST", "PUT", "PATCH", "DELETE"], Default: "GET"),
            new SettingField("url", SettingType.Text, "Absolute http(s) URL; may use {{ }} for run data.", Required: true, Template: true),
            new SettingField("headers", SettingType.KeyValues, "Request headers; values may use {{ }}.", Template: true),
            new SettingField("body", SettingType.MultilineText, "Request body; JSON is sent as application/json. Use {{ value | json }} to quote run data inside JSON.", Template: true),
        ],
        HasExternalEffect: true);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        if (ActivitySettings.Text(settings["url"]) is { } url && !SettingsValidator.HasTemplateSyntax(url) && !IsHttpUrl(url))
        {
            problems.Add(new SettingProblem("url", $"'{url}' is not an absolute http or https URL."));
        }

        if (settings["headers"] is JsonObject headers)
        {
            foreach (var (name, _) in headers)
            {
                if (!IsToken(name))
                {
                    problems.Add(new SettingProblem("headers", $"'{name}' is not a valid header name."));
                }
            }
        }

        if (settings["body"] is not null && (ActivitySettings.Text(settings["method"]) ?? "GET") == "GET")
        {
            problems.Add(new SettingProblem("body", "A GET request has no body: use POST, PUT or PATCH."));
        }

        return problems;
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<HttpSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
        }

        string url;
        string? body;
        var headers = new List<KeyValuePair<string, string>>();
        try
        {
            url = templates.Render(settings.Url, context.Scope).Trim();
            body = settings.Body is null ? null : templates.Render(settings.Body, context.Scope);
            foreach (var (name, value) in settings.Headers ?? [])
            {
                headers.Add(new(name, templates.Render(ActivitySettings.Text(value) ?? "", context.Scope)));
            }
        }
        catch (TemplateException ex)
        {
            return ActivitySettings.TemplateFailed("url, headers or body", ex);
        }

        if (!IsHttpUrl(url))
        {
            return new ActivityResult.Failed($"The URL '{url}' is not an absolute http or https URL.", Retryable: false);
        }

        if (headers.FirstOrDefault(h => h.Value.AsSpan().IndexOfAny('\r', '\n') >= 0) is { Key: { } badHeader })
        {
            return new ActivityResult.Failed($"The header '{badHeader}' renders to text with a line break.", Retryable: false);
        }

        var ledger = context.Services.GetRequiredService<IEffectLedger>();
        var key = context.IdempotencyKey;
        var before = await ledger.BeginAsync(key, ActivitySettings.Truncate($"{settings.Method} {url}", 2000), cancellationToken);
        if (before is { State: EffectState.Completed, ResultJson: { } recorded })
        {
            var replayed = JsonNode.Parse(recorded) as JsonObject ?? [];
            await context.Trace.WriteAsync("http.replayed",
                $"{settings.Method} {url} already completed ({replayed["status"]}); not sent again",
                new JsonObject { ["idempotencyKey"] = key, ["status"] = replayed["status"]?.DeepClone() }, cancellationToken: cancellationToken);
            return Outcome(replayed, url);
        }

        if (before.State == EffectState.Started)
        {
            await context.Trace.WriteAsync("http.resent",
                $"An earlier try of {settings.Method} {url} may have reached the server; sending again with the same Idempotency-Key",
                new JsonObject { ["idempotencyKey"] = key }, Traces.TraceLevel.Warning, cancellationToken);
        }

        using var request = BuildRequest(settings.Method, url, headers, body, key);
        await context.Trace.WriteAsync("http.request", $"{settings.Method} {url}", new JsonObject
        {
            ["method"] = settings.Method,
            ["url"] = url,
            ["headers"] = new JsonArray([.. headers.Select(h => JsonValue.Create(h.Key))]),
            ["bodyChars"] = body?.Length ?? 0,
            ["idempotencyKey"] = key,
        }, cancellationToken: cancellationToken);

        var client = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
        var watch = Stopwatch.StartNew();
        JsonObject result;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            result = await ReadAsync(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await context.Trace.WriteAsync("http.error", $"{settings.Method} {url} failed: {ex.Message}",
                new JsonObject { ["error"] = ex.Message }, Traces.TraceLevel.Warning, cancellationToken);
            return new ActivityResult.Failed($"{settings.Method} {url} failed: {ex.Message}");
        }

        var status = result["status"]!.GetValue<int>();
        await context.Trace.WriteAsync("http.response", $"{settings.Method} {url} → {status} in {watch.ElapsedMilliseconds} ms",
            new JsonObject { ["status"] = status, ["ms"] = watch.ElapsedMilliseconds, ["headers"] = result["headers"]?.DeepClone() },
            status >= 400 ? Traces.TraceLevel.Warning : Traces.TraceLevel.Info, cancellationToken);
        if (status < 400)
        {
            await ledger.CompleteAsync(key, result.ToJsonString(), cancellationToken);
        }

        return Outcome(result, url);
    }

    /// <summary>2xx/3xx continue; 408 and 429 and 5xx are worth retrying; any other 4xx will not change by retrying.</summary>
    private static ActivityResult Outcome(JsonObject result, string url)
    {
        var status = result["status"]?.GetValue<int>() ?? 0;
        if (status is >= 200 and < 400)
        {
            return new ActivityResult.Completed("next", result);
        }

        var reason = Enum.IsDefined(typeof(HttpStatusCode), status) ? $" {(HttpStatusCode)status}" : "";
        var message = $"{url} answered {status}{reason}.";
        return new ActivityResult.Failed(message, Retryable: status is 408 or 429 or >= 500);
    }

    private static HttpRequestMessage BuildRequest(string method, string url, List<KeyValuePair<string, string>> headers, string? body,
        string idempotencyKey)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        var contentType = headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
                ? parsed
                : new MediaTypeHeaderValue(LooksLikeJson(body) ? "application/json" : "text/plain") { CharSet = "utf-8" };
        }

        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return request;
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var name in KeptResponseHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                headers[name.ToLowerInvariant()] = string.Join(", ", values);
            }
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        var truncated = read > MaxResponseBytes;
        var encoding = GetEncoding(response.Content.Headers.ContentType?.CharSet);
        var text = encoding.GetString(buffer, 0, Math.Min(read, MaxResponseBytes));
        JsonNode? body = text.Length == 0 ? null : JsonValue.Create(text);
        if (!truncated && text.Length > 0 && IsJsonMediaType(response.Content.Headers.ContentType?.MediaType))
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Says JSON but is not: keep the text, the next step can still read it.
            }
        }

        var result = new JsonObject { ["status"] = (int)response.StatusCode, ["headers"] = headers, ["body"] = body };
        if (truncated)
        {
            result["truncated"] = true;
        }

        return result;
    }

    private static Encoding GetEncoding(string? charset)
    {
        try
        {
            return charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    private static bool IsJsonMediaType(string? mediaType) => mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static bool LooksLikeJson(string body)
    {
        var trimmed = body.AsSpan().Trim();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return false;
        }

        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));
}
