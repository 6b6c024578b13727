using BlazorOs.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BlazorOs.Core.Tests.Data;

public sealed class DatabaseMigratorTests
{
    [Fact]
    public async Task Migrations_apply_to_a_fresh_file_in_a_folder_that_does_not_exist_yet()
    {
        await using var store = TempStore.Create();
        Assert.False(Directory.Exists(store.DataFolder));

        await store.MigrateAsync();

        Assert.True(File.Exists(store.FilePath));
        var tables = new List<string>();
        await using (var connection = store.OpenRawConnection())
        {
            await using var command = connection.CreateCommand();
            // FactsSearch and MemoryItemsSearch (FTS5, with their shadow tables and row maps) are made by SQL in the
            // migrations, outside the model.
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsLock' " +
                "AND name NOT LIKE 'FactsSearch%' AND name NOT LIKE 'MemoryItemsSearch%' ORDER BY name;";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        await using var db = store.NewContext();
        var modelTables = db.Model.GetEntityTypes().Select(e => e.GetTableName()!).Append("__EFMigrationsHistory");
        Assert.Equal(modelTables.Distinct().Order(StringComparer.Ordinal), tables);
        Assert.Contains("Runs", tables);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_database_file_is_in_WAL_mode()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        Assert.Equal("wal", await store.ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Every_context_connection_enforces_foreign_keys_and_waits_five_seconds_for_a_lock()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        // Both open paths: the interceptor has a synchronous and an asynchronous hook.
        await using var syncDb = store.NewContext();
        syncDb.Database.OpenConnection();
        await using var asyncDb = store.NewContext();
        await asyncDb.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);

        foreach (var db in new[] { syncDb, asyncDb })
        {
            Assert.Equal(1L, await PragmaAsync(db, "foreign_keys"));
            Assert.Equal(5000L, await PragmaAsync(db, "busy_timeout"));
        }
    }

    [Fact]
    public async Task Running_the_migrator_again_changes_nothing_and_makes_no_backup()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        store.ReleaseConnections();
        var before = await File.ReadAllBytesAsync(store.FilePath, TestContext.Current.CancellationToken);

        await store.MigrateAsync();
        store.ReleaseConnections();

        Assert.Equal(before, await File.ReadAllBytesAsync(store.FilePath, TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(Path.Combine(store.DataFolder, "backups")));
    }

    [Fact]
    public async Task An_existing_database_is_backed_up_before_a_newer_migration_changes_it()
    {
        await using var store = TempStore.Create();
        Directory.CreateDirectory(store.DataFolder);
        List<string> migrations;
        await using (var db = store.NewContext())
        {
            migrations = db.Database.GetMigrations().ToList();
            Assert.True(migrations.Count >= 2, "needs a database one migration behind");
            await db.GetService<IMigrator>().MigrateAsync(migrations[0], TestContext.Current.CancellationToken);
        }

        await store.ScalarAsync("INSERT INTO Settings (Key, Value, UpdatedAt) VALUES ('ui.theme', 'dark', '2026-01-01 00:00:00');");

        await store.MigrateAsync();

        var backup = Path.Combine(store.DataFolder, "backups", $"blazoros-20261125T093000Z-before-{migrations[^1]}.db");
        Assert.True(File.Exists(backup), $"no {backup}");
        await using (var connection = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT group_concat(MigrationId) FROM __EFMigrationsHistory) || '/' || (SELECT Value FROM Settings WHERE Key = 'ui.theme');";
            Assert.Equal($"{migrations[0]}/dark", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal((long)migrations.Count, await store.ScalarAsync("SELECT count(*) FROM __EFMigrationsHistory;"));
        Assert.Equal("dark", await store.ScalarAsync("SELECT Value FROM Settings WHERE Key = 'ui.theme';"));
    }

    private static async Task<long> PragmaAsync(BlazorOsDbContext db, string pragma)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma};";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
