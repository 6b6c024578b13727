using BlazorOs.Core.Data;
using Microsoft.Extensions.Hosting;

namespace BlazorOs.Core.Tests.Data;

public sealed class WalCheckpointServiceTests
{
    [Fact]
    public async Task The_WAL_is_truncated_every_interval()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var service = store.Get<IEnumerable<IHostedService>>().OfType<WalCheckpointService>().Single();
        await service.StartAsync(TestContext.Current.CancellationToken);
        await DatabaseMaintenanceTests.WriteSettingsAsync(store, count: 50);
        Assert.True(new FileInfo(store.WalPath).Length > 0);

        store.Clock.Advance(WalCheckpointService.Interval);

        // The tick runs on the service's own task: give it a moment, bounded.
        for (var i = 0; i < 100 && new FileInfo(store.WalPath).Length > 0; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, new FileInfo(store.WalPath).Length);
        await service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_WAL_is_truncated_at_shutdown()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var service = store.Get<IEnumerable<IHostedService>>().OfType<WalCheckpointService>().Single();
        await service.StartAsync(TestContext.Current.CancellationToken);
        await DatabaseMaintenanceTests.WriteSettingsAsync(store, count: 50);
        Assert.True(new FileInfo(store.WalPath).Length > 0);

        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, new FileInfo(store.WalPath).Length);
    }
}
