using BlazorOs.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Settings;

public sealed class SettingsStoreTests
{
    [Fact]
    public async Task A_missing_setting_reads_as_null()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        Assert.Null(await store.Get<SettingsStore>().GetAsync("models.task", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Set_writes_a_setting_and_overwrites_it_with_a_new_timestamp()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var settings = store.Get<SettingsStore>();

        await settings.SetAsync("models.task", "gpt-small", TestContext.Current.CancellationToken);
        store.Clock.Advance(TimeSpan.FromHours(2));
        await settings.SetAsync("models.task", "gpt-medium", TestContext.Current.CancellationToken);

        Assert.Equal("gpt-medium", await settings.GetAsync("models.task", TestContext.Current.CancellationToken));
        await using var db = store.NewContext();
        var row = await db.Settings.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((store.Now, DateTimeKind.Utc), (row.UpdatedAt, row.UpdatedAt.Kind));
    }

    [Fact]
    public async Task SetIfAbsent_writes_only_the_first_value()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var settings = store.Get<SettingsStore>();

        Assert.True(await settings.SetIfAbsentAsync("auth.password-hash", "first", TestContext.Current.CancellationToken));
        Assert.False(await settings.SetIfAbsentAsync("auth.password-hash", "second", TestContext.Current.CancellationToken));

        Assert.Equal("first", await settings.GetAsync("auth.password-hash", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Settings_survive_a_new_process()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        await store.Get<SettingsStore>().SetAsync("ui.theme", "dark", TestContext.Current.CancellationToken);
        store.ReleaseConnections();

        Assert.Equal("dark", await store.ScalarAsync("SELECT Value FROM Settings WHERE Key = 'ui.theme';"));
    }
}
