using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorOs.Core.Tests.Activities;

internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? IdempotencyKey => Headers.GetValueOrDefault("Idempotency-Key");
}

/// <param name="After">When set, the answer is held until this task ends (a slow API, or one that is mid-request when the caller dies).</param>
internal sealed record CannedResponse(int Status, string Body = "", string ContentType = "application/json", Task? After = null);

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener) that records each request and answers as the test says. Each
/// request is answered on its own task, so a held answer does not keep the next request waiting. Also linked into the
/// end-to-end suite, which needs a server of its own outside the app it kills.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _answers = [];
    private readonly Task _loop;

    private LoopbackServer(HttpListener listener, Uri address)
    {
        _listener = listener;
        BaseAddress = address;
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();
    public Func<ReceivedRequest, CannedResponse> Respond { get; set; } = _ => new CannedResponse(200, """{"ok":true}""");

    public static LoopbackServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackServer(listener, new Uri($"http://127.0.0.1:{port}/"));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>A port nothing listens on (for connection failures).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _answers.Add(Task.Run(() => AnswerAsync(context)));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, body);
            Requests.Enqueue(request);
            var response = Respond(request);
            if (response.After is { } after)
            {
                await after.WaitAsync(_stopping.Token);
            }

            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The caller went away (an attempt that timed out, a killed process) or the server stops: nobody reads the answer.
            context.Response.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _loop;
        await Task.WhenAll(_answers);
        _stopping.Dispose();
    }
}
