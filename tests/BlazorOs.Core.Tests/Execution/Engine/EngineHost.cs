using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Traces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// The engine as the app runs it (hosted services, real SQLite file, the real clock unless a test gives one) on a data
/// folder that outlives one host, so a test can stop the host and start another on the same store, as a restart does.
/// Given a PostgreSQL server (<see cref="StartOnPostgresAsync"/>), the store is a database of its own on it instead,
/// dropped on dispose.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TimeProvider? _clock;
    private readonly string? _postgres;
    private IHost? _host;

    private EngineHost(string root, ModelEndpoint model, TimeProvider? clock, string? postgres)
    {
        Root = root;
        Model = model;
        _clock = clock;
        _postgres = postgres;
    }

    public string Root { get; }
    public ModelEndpoint Model { get; }
    public string DataFolder => Path.Combine(Root, "data");
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The host is stopped.");
    public IPlaybookEngine Engine => Services.GetRequiredService<IPlaybookEngine>();

    /// <param name="clock">
    /// The clock every service gets (a <c>FakeTimeProvider</c> also drives the engine's once-a-second tick, which then
    /// ticks only when the test advances it); the same clock serves the hosts after a restart.
    /// </param>
    public static Task<EngineHost> StartAsync(ModelEndpoint? model = null, TimeProvider? clock = null) => StartAsync(model, clock, null);

    /// <summary>As <see cref="StartAsync(ModelEndpoint?, TimeProvider?)"/> on a new database of the server <paramref name="server"/> names.</summary>
    public static Task<EngineHost> StartOnPostgresAsync(string server, ModelEndpoint? model = null) =>
        StartAsync(model, null, new NpgsqlConnectionStringBuilder(server) { Database = $"blazoros_test_{Guid.NewGuid():N}" }.ToString());

    private static async Task<EngineHost> StartAsync(ModelEndpoint? model, TimeProvider? clock, string? postgres)
    {
        var root = Path.Combine(Path.GetTempPath(), "blazoros-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var host = new EngineHost(root, model ?? ModelEndpoint.None, clock, postgres);
        await host.StartHostAsync();
        return host;
    }

    /// <summary>Stops the host as a shutdown does (runs stay as they are) and starts a new one on the same store.</summary>
    /// <param name="whileStopped">What happens while nothing runs (the clock moves on).</param>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await StopHostAsync();
        whileStopped?.Invoke();
        await StartHostAsync();
    }

    public async Task<Guid> ImportAsync(string definitionJson) =>
        (await Services.GetRequiredService<PlaybookService>().ImportAsync(definitionJson, TestContext.Current.CancellationToken)).Id;

    public Task<Guid> StartRunAsync(Guid playbookId, JsonObject? inputs = null) =>
        Engine.StartAsync(new StartRun(playbookId, inputs ?? [], RunTrigger.Manual), TestContext.Current.CancellationToken);

    /// <summary>Polls the store until the run's status is one of <paramref name="statuses"/>.</summary>
    public async Task<Run> WaitForAsync(Guid runId, params RunStatus[] statuses)
    {
        Run? run = null;
        return await PollAsync(async db =>
        {
            run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, TestContext.Current.CancellationToken);
            return run is not null && statuses.Contains(run.Status) ? run : null;
        }, () => $"Run {runId} is {run?.Status} ({run?.Error}); expected {string.Join(" or ", statuses)}.");
    }

    /// <summary>
    /// Waits for the run's next open question for the operator, or, given a <paramref name="kind"/>, its next open wait of
    /// that kind (timers and child-run waits included).
    /// </summary>
    public Task<Approval> OpenApprovalAsync(Guid runId, ApprovalKind? kind = null) =>
        PollAsync(db =>
        {
            var open = db.Approvals.AsNoTracking().Where(a => a.RunId == runId && a.Status == ApprovalStatus.Open);
            open = kind is { } wanted ? open.Where(a => a.Kind == wanted) : open.Where(Approval.IsOpenForOperator);
            return open.FirstOrDefaultAsync(TestContext.Current.CancellationToken);
        }, () => $"Run {runId} opened no {kind?.ToString() ?? "question"}.");

    /// <summary>Asks the store (a fresh context each time) until <paramref name="probe"/> finds something.</summary>
    public async Task<T> PollAsync<T>(Func<BlazorOsDbContext, Task<T?>> probe, Func<string> notFound) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await using (var db = await DbAsync())
            {
                if (await probe(db) is { } found)
                {
                    return found;
                }
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException(notFound());
    }

    public async Task<Run?> GetRunAsync(Guid runId)
    {
        await using var db = await DbAsync();
        return await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, TestContext.Current.CancellationToken);
    }

    public async Task<List<StepRun>> StepsAsync(Guid runId)
    {
        await using var db = await DbAsync();
        return await db.StepRuns.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.StartedAt)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task<List<string>> TraceKindsAsync(Guid runId) => [.. (await TraceAsync(runId)).Select(e => e.Kind)];

    /// <summary>The run's trace events in sequence order.</summary>
    public async Task<List<TraceEvent>> TraceAsync(Guid runId)
    {
        await using var db = await DbAsync();
        return await db.TraceEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task<BlazorOsDbContext> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync();

    private async Task StartHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (_clock is not null)
        {
            builder.Services.AddSingleton(_clock);
        }

        builder.Services.AddBlazorOsCore(DatabaseSettings.Resolve(DataFolder, _postgres), Model);
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await host.StartAsync();
        _host = host;
    }

    private async Task StopHostAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }

    private static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ToString());
        await server.OpenAsync();
        await using var drop = server.CreateCommand();
        // The name is ours (blazoros_test_ and a GUID), never input.
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        if (_postgres is null)
        {
            SqliteConnection.ClearPool(new SqliteConnection(DatabaseSettings.Resolve(DataFolder, null).ConnectionString));
        }
        else
        {
            await DropPostgresDatabaseAsync(_postgres);
        }

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
