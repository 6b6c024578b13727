using System.Collections.Concurrent;
using BlazorOs.Core.Tests.Activities;

namespace BlazorOs.E2E.Engine;

/// <summary>
/// An outside API on 127.0.0.1 that behaves like a real idempotent one (Stripe's, say): the first request with an
/// <c>Idempotency-Key</c> applies its effect; a later request with the same key applies nothing and gets the first
/// answer again. With <see cref="HoldFirstAnswer"/> the first answer is never sent, as when the caller dies mid-request.
/// </summary>
internal sealed class IdempotentApi : IAsyncDisposable
{
    private readonly LoopbackServer _server = LoopbackServer.Start();
    private readonly ConcurrentDictionary<string, string> _effects = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _neverAnswered = new();

    public IdempotentApi() => _server.Respond = Respond;

    public bool HoldFirstAnswer { get; init; }

    /// <summary>Every request, in arrival order, replays included.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _server.Requests];

    /// <summary>How many effects were applied: one per distinct idempotency key.</summary>
    public int Effects => _effects.Count;

    public Uri Url(string path) => new(_server.BaseAddress, path);

    /// <summary>Waits until <paramref name="count"/> requests arrived.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (_server.Requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The API got {_server.Requests.Count} of {count} requests.");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private CannedResponse Respond(ReceivedRequest request)
    {
        if (request.IdempotencyKey is not { } key)
        {
            return new CannedResponse(400, """{"error":"Idempotency-Key is required"}""");
        }

        var applied = _effects.TryAdd(key, $$"""{"id":"effect-{{Guid.NewGuid():N}}"}""");
        return new CannedResponse(201, _effects[key], After: applied && HoldFirstAnswer ? _neverAnswered.Task : null);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
