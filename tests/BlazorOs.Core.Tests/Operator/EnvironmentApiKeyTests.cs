using BlazorOs.Core.Operator;

namespace BlazorOs.Core.Tests.Operator;

/// <summary>
/// BLAZOROS_API_KEY is applied at every start: the same value changes nothing, a new value replaces the old key,
/// and a key the operator revoked is never brought back by the environment.
/// </summary>
public sealed class EnvironmentApiKeyTests
{
    private const string EnvironmentKey = "env-key-0123456789abcdef";

    [Fact]
    public async Task The_environment_key_is_added_once()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var keys = store.Get<ApiKeyService>();

        await keys.EnsureEnvironmentKeyAsync(EnvironmentKey, TestContext.Current.CancellationToken);
        await keys.EnsureEnvironmentKeyAsync(EnvironmentKey, TestContext.Current.CancellationToken);

        var key = Assert.Single(await keys.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal((ApiKeyService.EnvironmentKeyName, true), (key.Name, key.IsActive));
        Assert.Equal(key.Id, (await keys.VerifyAsync(EnvironmentKey, TestContext.Current.CancellationToken))?.Id);
    }

    [Fact]
    public async Task A_changed_environment_key_replaces_the_old_one()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var keys = store.Get<ApiKeyService>();
        await keys.EnsureEnvironmentKeyAsync(EnvironmentKey, TestContext.Current.CancellationToken);

        await keys.EnsureEnvironmentKeyAsync(EnvironmentKey + "-rotated", TestContext.Current.CancellationToken);

        Assert.Null(await keys.VerifyAsync(EnvironmentKey, TestContext.Current.CancellationToken));
        Assert.NotNull(await keys.VerifyAsync(EnvironmentKey + "-rotated", TestContext.Current.CancellationToken));
        Assert.Single(await keys.ListAsync(TestContext.Current.CancellationToken), k => k.IsActive);
    }

    [Fact]
    public async Task A_revoked_key_in_the_environment_is_refused_and_the_active_key_stays()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var keys = store.Get<ApiKeyService>();
        await keys.EnsureEnvironmentKeyAsync(EnvironmentKey, TestContext.Current.CancellationToken);
        await keys.EnsureEnvironmentKeyAsync(EnvironmentKey + "-rotated", TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            keys.EnsureEnvironmentKeyAsync(EnvironmentKey, TestContext.Current.CancellationToken));

        Assert.Contains("revoked", ex.Message, StringComparison.Ordinal);
        Assert.Null(await keys.VerifyAsync(EnvironmentKey, TestContext.Current.CancellationToken));
        Assert.NotNull(await keys.VerifyAsync(EnvironmentKey + "-rotated", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_short_environment_key_is_refused()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var keys = store.Get<ApiKeyService>();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            keys.EnsureEnvironmentKeyAsync(new string('k', ApiKeyService.MinimumLength - 1), TestContext.Current.CancellationToken));

        Assert.Contains(ApiKeyService.EnvironmentKeyName, ex.Message, StringComparison.Ordinal);
        Assert.Empty(await keys.ListAsync(TestContext.Current.CancellationToken));
    }
}
