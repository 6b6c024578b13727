using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorOs.Core.Tests;

/// <summary>
/// A real SQLite store in a temp folder of its own, with the services registered as the app registers them
/// and a fake clock. The data folder does not exist until the migrator (or the test) creates it; the whole
/// temp folder is deleted on dispose.
/// </summary>
internal sealed class TempStore : IAsyncDisposable
{
    /// <summary>The fake clock's start: sub-second ticks, so a timestamp that loses precision shows.</summary>
    public static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero).AddTicks(1234567);

    private readonly ServiceProvider _services;

    private TempStore(string root, string dataFolder, ModelEndpoint? model)
    {
        Root = root;
        DataFolder = dataFolder;
        Settings = DatabaseSettings.Resolve(dataFolder, connectionString: null);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock);
        if (model is not null)
        {
            services.AddSingleton(model);
        }

        _services = services
            .AddBlazorOsData(Settings)
            .AddBlazorOsMemory()
            .BuildServiceProvider();
    }

    /// <summary>The temp folder that holds the data folder; it exists from the start.</summary>
    public string Root { get; }

    public string DataFolder { get; }
    public DatabaseSettings Settings { get; }
    public string FilePath => Settings.SqliteFilePath!;
    public string WalPath => FilePath + "-wal";
    public FakeTimeProvider Clock { get; } = new(Start);
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <param name="dataFolder">The data folder, relative to the temp folder.</param>
    /// <param name="model">The model endpoint the memory services see (e.g. with an embeddings model); none by default.</param>
    public static TempStore Create(string dataFolder = "data", ModelEndpoint? model = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "blazoros-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new TempStore(root, Path.Combine(root, dataFolder), model);
    }

    public static async Task<TempStore> CreateMigratedAsync(ModelEndpoint? model = null)
    {
        var store = Create(model: model);
        try
        {
            await store.MigrateAsync();
            return store;
        }
        catch
        {
            // The caller never gets the store to dispose: clean up here, or the temp folder stays behind.
            await store.DisposeAsync();
            throw;
        }
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public Task MigrateAsync() => Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

    /// <summary>A fresh context, as services make one per operation.</summary>
    public BlazorOsDbContext NewContext() => Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContext();

    /// <summary>A connection of the test's own, outside the app's pool and interceptors.</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(Settings.ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = OpenRawConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Closes the app's pooled connections to this file; the last one to close checkpoints the WAL into the
    /// database file. Only this file's pool: clearing all pools would close other tests' connections mid-test.
    /// </summary>
    public void ReleaseConnections()
    {
        using var connection = new SqliteConnection(Settings.ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        ReleaseConnections();
        Directory.Delete(Root, recursive: true);
    }
}
