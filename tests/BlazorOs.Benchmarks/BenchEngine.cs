using BlazorOs.Core;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Benchmarks;

/// <summary>
/// The engine as the app composes it (<c>AddBlazorOsCore</c>, migrations, WAL) on a fresh SQLite file in a temp folder,
/// with the <see cref="NoOpPlaybook"/> imported. Hosted services are not started: the one-second engine tick and the
/// five-minute WAL checkpoint would only add noise; nothing here waits on a timer.
/// </summary>
internal sealed class BenchEngine : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly ServiceProvider _services;
    private readonly Guid _playbookId;

    private BenchEngine(string root, DatabaseSettings settings, ServiceProvider services, Guid playbookId)
    {
        Root = root;
        Settings = settings;
        _services = services;
        _playbookId = playbookId;
    }

    /// <summary>The temp folder holding the database (and anything else a measurement puts beside it).</summary>
    public string Root { get; }

    public DatabaseSettings Settings { get; }

    public string DatabaseFile => Settings.SqliteFilePath!;

    public IPlaybookEngine Engine => _services.GetRequiredService<IPlaybookEngine>();

    public IServiceProvider Services => _services;

    public static async Task<BenchEngine> StartAsync(SqlProfile? profile = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "blazoros-bench", Guid.NewGuid().ToString("N"));
        var settings = DatabaseSettings.Resolve(root, null);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddBlazorOsCore(settings, ModelEndpoint.None);
        if (profile is not null)
        {
            services.ConfigureDbContext<BlazorOsDbContext>(options => options.AddInterceptors(profile.Interceptors));
        }

        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var playbook = await provider.GetRequiredService<PlaybookService>().ImportAsync(NoOpPlaybook.Json);
        return new BenchEngine(root, settings, provider, playbook.Id);
    }

    /// <summary>Starts one run of the no-op playbook and waits until the engine let go of it (ended and cleaned up).</summary>
    public async Task RunAsync()
    {
        var runId = await Engine.StartAsync(new StartRun(_playbookId, [], RunTrigger.Manual));
        if (!await Engine.WaitForIdleAsync(runId, Patience))
        {
            throw new TimeoutException($"Run {runId} did not finish within {Patience}.");
        }
    }

    public Task RunConcurrentAsync(int runs) => Task.WhenAll(Enumerable.Range(0, runs).Select(_ => RunAsync()));

    /// <summary>
    /// Bytes of the checkpoint the store keeps for a run that waits for an approval after the same nine steps (the
    /// checkpoints of short running runs are not written); the run is cancelled afterwards.
    /// </summary>
    public async Task<int> WaitingCheckpointBytesAsync()
    {
        var playbook = await _services.GetRequiredService<PlaybookService>().ImportAsync(NoOpPlaybook.WaitingJson);
        var runId = await Engine.StartAsync(new StartRun(playbook.Id, [], RunTrigger.Manual));
        try
        {
            var session = runId.ToString("N");
            for (var deadline = DateTime.UtcNow + Patience; DateTime.UtcNow < deadline; await Task.Delay(20))
            {
                await using var db = await DbAsync();
                if (await db.WorkflowCheckpoints.Where(c => c.SessionId == session).Select(c => c.Json).SingleOrDefaultAsync() is { } json)
                {
                    return System.Text.Encoding.UTF8.GetByteCount(json);
                }
            }

            throw new TimeoutException($"Run {runId} stored no checkpoint while it waited.");
        }
        finally
        {
            await Engine.CancelAsync(runId, "benchmark");
            await Engine.WaitForIdleAsync(runId, Patience);
        }
    }

    /// <summary>How the runs ended (cancelled ones aside), and how many steps and checkpoint rows the store holds.</summary>
    public async Task<(int Completed, int Other, int Steps, int Checkpoints)> CensusAsync()
    {
        await using var db = await DbAsync();
        var completed = await db.Runs.CountAsync(r => r.Status == RunStatus.Completed);
        var other = await db.Runs.CountAsync(r => r.Status != RunStatus.Completed && r.Status != RunStatus.Cancelled);
        return (completed, other, await db.StepRuns.CountAsync(), await db.WorkflowCheckpoints.CountAsync());
    }

    /// <summary>A pragma as the engine's own connections see it (journal_mode, synchronous, busy_timeout).</summary>
    public async Task<string> PragmaAsync(string name)
    {
        await using var db = await DbAsync();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Bytes on disk after a TRUNCATE checkpoint: the database file plus its (then empty) WAL.</summary>
    public async Task<long> SizeOnDiskAsync()
    {
        var result = await _services.GetRequiredService<DatabaseMaintenance>().CheckpointAsync();
        if (result is { Busy: true })
        {
            throw new InvalidOperationException("The WAL checkpoint was busy: a reader is still open.");
        }

        return SizeOf(DatabaseFile) + SizeOf(DatabaseFile + "-wal");
    }

    private async Task<BlazorOsDbContext> DbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync();

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task; the OS cleans its temp folder.
        }
    }
}
