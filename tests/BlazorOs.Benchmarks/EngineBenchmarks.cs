using BenchmarkDotNet.Attributes;

namespace BlazorOs.Benchmarks;

/// <summary>
/// BenchmarkDotNet cases for the engine on a real SQLite file (WAL, synchronous=FULL). <see cref="RawCommit"/> is the
/// baseline, so the Ratio column of <see cref="DurableStep"/> is raw commits/s ÷ durable steps/s: the inverse of the
/// ratio the engine issue asks for (goal ≥ 0.5, so here ≤ 2). Each case gets a fresh store in its global setup.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet generates a type that derives from it.</remarks>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    public const int Concurrency = 20;
    private BenchEngine? _engine;
    private RawCommitProbe? _raw;

    private BenchEngine Store => _engine ?? throw new InvalidOperationException("Global setup did not run.");

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _engine = await BenchEngine.StartAsync();
        _raw = RawCommitProbe.Open(Path.Combine(_engine.Root, "raw-commits.db"));
        await _engine.RunAsync();
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        _raw?.Dispose();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    /// <summary>One single-row INSERT transaction, committed with synchronous=FULL.</summary>
    [Benchmark(Baseline = true)]
    public void RawCommit() => (_raw ?? throw new InvalidOperationException("Global setup did not run.")).CommitOne();

    /// <summary>One step of a ten-step no-op run, run to completion one run at a time.</summary>
    [Benchmark(OperationsPerInvoke = NoOpPlaybook.Steps)]
    public Task DurableStep() => Store.RunAsync();

    /// <summary>One run of twenty started together (operations = runs, so 1 / mean is runs per second).</summary>
    [Benchmark(OperationsPerInvoke = Concurrency)]
    public Task ConcurrentRun() => Store.RunConcurrentAsync(Concurrency);
}
