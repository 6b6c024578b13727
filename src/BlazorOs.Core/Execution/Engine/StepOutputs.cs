using System.Collections.Concurrent;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// The latest output of each finished step of one live run, as the store has it (JSON text). Filled from the store once
/// when a resumed run first needs it; afterwards every completion is recorded here after its transaction committed,
/// so it never holds what the store does not.
/// </summary>
internal sealed class StepOutputs(bool loaded)
{
    private readonly ConcurrentDictionary<string, string?> _byNode = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile bool _loaded = loaded;

    public async ValueTask<IReadOnlyDictionary<string, string?>> GetAsync(
        Func<CancellationToken, Task<IReadOnlyDictionary<string, string?>>> load, CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            await _loading.WaitAsync(cancellationToken);
            try
            {
                if (!_loaded)
                {
                    // What a branch recorded meanwhile is at least as new as what the store returned.
                    foreach (var (node, output) in await load(cancellationToken))
                    {
                        _byNode.TryAdd(node, output);
                    }

                    _loaded = true;
                }
            }
            finally
            {
                _loading.Release();
            }
        }

        return _byNode;
    }

    public void Record(string nodeId, string? outputJson) => _byNode[nodeId] = outputJson;
}
