using BlazorOs.Core.Data;
using BlazorOs.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Data;

public sealed class DatabaseMaintenanceTests
{
    [Fact]
    public async Task A_checkpoint_truncates_the_WAL_to_zero_bytes()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        await WriteSettingsAsync(store, count: 300);
        Assert.True(new FileInfo(store.WalPath).Length > 0);

        var result = await store.Get<DatabaseMaintenance>().CheckpointAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.False(result.Busy);
        Assert.Equal(0, new FileInfo(store.WalPath).Length);
        Assert.Equal(300L, await store.ScalarAsync("SELECT count(*) FROM Settings;"));
    }

    [Fact]
    public async Task Vacuum_gives_the_space_of_deleted_rows_back()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var maintenance = store.Get<DatabaseMaintenance>();
        await WriteSettingsAsync(store, count: 500);
        await using (var db = store.NewContext())
        {
            await db.Settings.Where(s => s.Key.StartsWith("bulk.")).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        await maintenance.CheckpointAsync(TestContext.Current.CancellationToken);
        var before = await maintenance.GetStorageInfoAsync(TestContext.Current.CancellationToken);

        await maintenance.VacuumAsync(TestContext.Current.CancellationToken);

        var after = await maintenance.GetStorageInfoAsync(TestContext.Current.CancellationToken);
        Assert.True(before.FreePages > 100, $"{before.FreePages} free pages before VACUUM");
        Assert.Equal(0, after.FreePages);
        Assert.True(after.DatabaseBytes < before.DatabaseBytes / 4, $"{before.DatabaseBytes} -> {after.DatabaseBytes} bytes");
        Assert.Equal(0, after.WalBytes);
    }

    [Fact]
    public async Task Storage_info_reports_the_files_as_they_are_on_disk()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        await WriteSettingsAsync(store, count: 50);

        var info = await store.Get<DatabaseMaintenance>().GetStorageInfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal(store.FilePath, info.Location);
        Assert.Equal(new FileInfo(store.FilePath).Length, info.DatabaseBytes);
        Assert.Equal(new FileInfo(store.WalPath).Length, info.WalBytes);
        Assert.True(info.WalBytes > 0);
        Assert.Equal(4096, info.PageSize);
        Assert.Equal(0, info.DatabaseBytes % info.PageSize);
    }

    /// <summary>Writes <paramref name="count"/> settings of 2 KB each in one transaction.</summary>
    internal static async Task WriteSettingsAsync(TempStore store, int count)
    {
        await using var db = store.NewContext();
        db.Settings.AddRange(Enumerable.Range(0, count)
            .Select(i => new Setting($"bulk.{i:D4}", new string((char)('a' + (i % 26)), 2048), store.Now)));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
