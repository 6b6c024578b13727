using System.Diagnostics;
using System.Security.Cryptography;
using BlazorOs.Core.Data;

namespace BlazorOs.Core.Tests.Data;

/// <summary>
/// Each way the store can be unusable at start gives a <see cref="DatabaseStartupException"/> that tells the
/// operator what is wrong, and leaves the data as it was.
/// </summary>
public sealed class DatabaseStartupFailureTests
{
    [Fact]
    public async Task A_database_migrated_by_a_newer_version_is_refused_and_left_unchanged()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        await store.ScalarAsync("INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '99.0.0');");
        store.ReleaseConnections();
        var before = await File.ReadAllBytesAsync(store.FilePath, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<DatabaseStartupException>(store.MigrateAsync);

        Assert.Contains("migrated by a newer BlazorOs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("29991231000000_FromTheFuture", ex.Message, StringComparison.Ordinal);
        store.ReleaseConnections();
        Assert.Equal(before, await File.ReadAllBytesAsync(store.FilePath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_and_left_untouched()
    {
        await using var store = TempStore.Create();
        Directory.CreateDirectory(store.DataFolder);
        var garbage = RandomNumberGenerator.GetBytes(8192);
        await File.WriteAllBytesAsync(store.FilePath, garbage, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<DatabaseStartupException>(store.MigrateAsync);

        Assert.Contains("is not a readable SQLite database", ex.Message, StringComparison.Ordinal);
        Assert.Contains(store.FilePath, ex.Message, StringComparison.Ordinal);
        store.ReleaseConnections();
        Assert.Equal(garbage, await File.ReadAllBytesAsync(store.FilePath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_database_locked_by_another_process_is_reported_as_locked_and_can_be_migrated_later()
    {
        await using var store = TempStore.Create();
        Directory.CreateDirectory(store.DataFolder);
        var clock = Stopwatch.StartNew();
        TimeSpan waited;
        await using (var other = store.OpenRawConnection())
        {
            await using var command = other.CreateCommand();
            command.CommandText = "CREATE TABLE Theirs (x); INSERT INTO Theirs VALUES (42); BEGIN EXCLUSIVE; INSERT INTO Theirs VALUES (43);";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            clock.Restart();

            var ex = await Assert.ThrowsAsync<DatabaseStartupException>(store.MigrateAsync);
            waited = clock.Elapsed;

            Assert.Contains("stayed locked by another process", ex.Message, StringComparison.Ordinal);
            Assert.Contains(store.FilePath, ex.Message, StringComparison.Ordinal);
        }

        // The wait is the busy timeout the message names, not the driver's own 30 s retry.
        Assert.InRange(waited, DatabaseSettings.BusyTimeout, DatabaseSettings.BusyTimeout * 2);
        // Once the other process lets go, nothing of its data is lost and the start succeeds.
        await store.MigrateAsync();
        Assert.Equal(42L, await store.ScalarAsync("SELECT sum(x) FROM Theirs;"));
        Assert.Equal("wal", await store.ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_is_named_with_the_variable_that_sets_it()
    {
        await using var store = TempStore.Create(dataFolder: Path.Combine("a-file", "data"));
        await File.WriteAllTextAsync(Path.Combine(store.Root, "a-file"), "not a folder", TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<DatabaseStartupException>(store.MigrateAsync);

        Assert.Contains(store.DataFolder, ex.Message, StringComparison.Ordinal);
        Assert.Contains("BLAZOROS_DATA", ex.Message, StringComparison.Ordinal);
        Assert.Equal("not a folder", await File.ReadAllTextAsync(Path.Combine(store.Root, "a-file"), TestContext.Current.CancellationToken));
    }
}
