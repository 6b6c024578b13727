using System.Text;
using BlazorOs.Core.Operator;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Operator;

public sealed class ApiKeyServiceTests
{
    private const string EnvironmentKey = "env-key-0123456789abcdef";

    [Fact]
    public async Task A_created_key_verifies_with_its_plaintext_and_no_other()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var keys = store.Get<ApiKeyService>();

        var created = await keys.CreateAsync("  zapier  ", TestContext.Current.CancellationToken);

        Assert.StartsWith("bos_", created.Plaintext, StringComparison.Ordinal);
        Assert.Equal(("zapier", created.Plaintext[..8]), (created.Key.Name, created.Key.Hint));
        Assert.Equal(created.Key.Id, (await keys.VerifyAsync(created.Plaintext, TestContext.Current.CancellationToken))?.Id);
        Assert.Null(await keys.VerifyAsync(created.Plaintext[..^1] + "x", TestContext.Current.CancellationToken));
        Assert.Null(await keys.VerifyAsync("short", TestContext.Current.CancellationToken));
        Assert.Null(await keys.VerifyAsync(string.Empty, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_revoked_key_no_longer_verifies()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var keys = store.Get<ApiKeyService>();
        var created = await keys.CreateAsync("zapier", TestContext.Current.CancellationToken);

        Assert.True(await keys.RevokeAsync(created.Key.Id, TestContext.Current.CancellationToken));

        Assert.Null(await keys.VerifyAsync(created.Plaintext, TestContext.Current.CancellationToken));
        Assert.False(Assert.Single(await keys.ListAsync(TestContext.Current.CancellationToken)).IsActive);
        Assert.False(await keys.RevokeAsync(Guid.CreateVersion7(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Only_a_hash_of_the_key_is_stored()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var created = await store.Get<ApiKeyService>().CreateAsync("zapier", TestContext.Current.CancellationToken);
        await store.Get<ApiKeyService>().EnsureEnvironmentKeyAsync(EnvironmentKey, TestContext.Current.CancellationToken);

        var columns = new List<string>();
        await using (var connection = store.OpenRawConnection())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM ApiKeys;";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                columns.AddRange(Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!));
            }
        }

        Assert.Equal(2 * 7, columns.Count);
        Assert.DoesNotContain(columns, c => c.Contains(created.Plaintext, StringComparison.Ordinal) || c.Contains(EnvironmentKey, StringComparison.Ordinal));
        Assert.Contains(ApiKey.HashOf(created.Plaintext), columns);
        // Nor anywhere in the files, free pages and WAL included.
        store.ReleaseConnections();
        var bytes = await File.ReadAllBytesAsync(store.FilePath, TestContext.Current.CancellationToken);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(created.Plaintext)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(EnvironmentKey)));
    }

    [Fact]
    public async Task Use_is_recorded_at_most_once_a_minute()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var keys = store.Get<ApiKeyService>();
        var created = await keys.CreateAsync("zapier", TestContext.Current.CancellationToken);
        var firstUse = store.Now;

        await keys.VerifyAsync(created.Plaintext, TestContext.Current.CancellationToken);
        store.Clock.Advance(TimeSpan.FromSeconds(59));
        await keys.VerifyAsync(created.Plaintext, TestContext.Current.CancellationToken);
        Assert.Equal(firstUse, await LastUsedAsync(store));

        store.Clock.Advance(TimeSpan.FromSeconds(1));
        await keys.VerifyAsync(created.Plaintext, TestContext.Current.CancellationToken);
        Assert.Equal(store.Now, await LastUsedAsync(store));
    }

    private static async Task<DateTime?> LastUsedAsync(TempStore store)
    {
        await using var db = store.NewContext();
        return await db.ApiKeys.Select(k => k.LastUsedAt).SingleAsync(TestContext.Current.CancellationToken);
    }
}
