using System.ComponentModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.SemanticKernel;

namespace BlazorOs.Core.Agents;

/// <summary>
/// The <c>http.get</c> tool: a GET of an absolute http(s) URL on one of the hosts the playbook names, with
/// a time limit and a size cap. Every refusal is a string the model reads, never an exception, so the model
/// can recover; redirects are followed only to allowed hosts.
/// </summary>
internal sealed class HttpGetTool(HttpClient http, IReadOnlyList<string> allowedHosts, TimeSpan timeout, int maxBytes)
{
    public const string PluginName = "http";
    private const int MaxRedirects = 3;

    [KernelFunction("get")]
    [Description("Fetches an absolute http or https URL with GET and returns the response text. Only some hosts are allowed.")]
    public async Task<string> GetAsync(
        [Description("Absolute URL, e.g. https://example.com/page")] string url,
        CancellationToken cancellationToken = default)
    {
        if (Refusal(url, allowedHosts) is { } refusal)
        {
            return refusal;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var target = new Uri(url);
            for (var redirects = 0; ; redirects++)
            {
                using var response = await http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(target, location);
                    if (redirects == MaxRedirects)
                    {
                        return $"error: more than {MaxRedirects} redirects, stopped at {next}";
                    }

                    if (Refusal(next.ToString(), allowedHosts) is { } redirectRefusal)
                    {
                        return $"error: redirected to {next}, not followed: {redirectRefusal}";
                    }

                    target = next;
                    continue;
                }

                var body = await ReadCappedAsync(response.Content, deadline.Token);
                return response.IsSuccessStatusCode
                    ? body
                    : $"error: HTTP {(int)response.StatusCode} {response.ReasonPhrase}\n{body}";
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"error: no answer from {url} within {timeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException ex)
        {
            return $"error: could not fetch {url}: {ex.Message}";
        }
    }

    /// <summary>Null when <paramref name="url"/> may be fetched, else the reason for the model.</summary>
    internal static string? Refusal(string? url, IReadOnlyList<string> allowedHosts)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"error: '{url}' is not an absolute http or https URL";
        }

        return IsAllowed(uri, allowedHosts)
            ? null
            : $"error: host not allowed: {uri.Host}" + (allowedHosts.Count == 0
                ? " (this step may fetch from no host)"
                : $" (allowed: {string.Join(", ", allowedHosts)})");
    }

    /// <summary>An entry is a host name (any port) or <c>host:port</c>; case does not matter.</summary>
    private static bool IsAllowed(Uri uri, IReadOnlyList<string> allowedHosts) =>
        allowedHosts.Any(entry =>
        {
            var allowed = entry.Trim();
            return string.Equals(allowed, uri.IdnHost, StringComparison.OrdinalIgnoreCase)
                || string.Equals(allowed, uri.Host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(allowed, $"{uri.IdnHost}:{uri.Port}", StringComparison.OrdinalIgnoreCase);
        });

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private async Task<string> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var truncated = read > maxBytes;
        var text = EncodingOf(content.Headers.ContentType).GetString(buffer, 0, Math.Min(read, maxBytes));
        return truncated ? text + $"\n[truncated: the response is larger than {maxBytes} bytes]" : text;
    }

    private static Encoding EncodingOf(MediaTypeHeaderValue? contentType)
    {
        try
        {
            return contentType?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            // An unknown charset name: UTF-8 is the best guess for text on the web.
            return Encoding.UTF8;
        }
    }
}
