using System.Security.Cryptography;
using System.Text;
using BlazorOs.Core.Playbooks;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Playbooks;

public sealed class PlaybookTests
{
    private const string DefinitionV1 = """{"nodes":[{"id":"start","kind":"trigger"}],"edges":[]}""";
    private const string DefinitionV2 = """{"nodes":[{"id":"start","kind":"trigger"},{"id":"end","kind":"end"}],"edges":[["start","end"]]}""";

    [Fact]
    public async Task A_playbook_round_trips_with_its_versions_and_their_content_hashes()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var playbook = Playbook.Create(" Weekly invoicing ", store.Now, "Bill every client on Friday", DelegationLevel.Supervised);
        playbook.AddVersion("blazoros.graph/1", DefinitionV1, store.Now);
        store.Clock.Advance(TimeSpan.FromHours(1));
        playbook.AddVersion("blazoros.graph/1", DefinitionV2, store.Now);
        await using (var db = store.NewContext())
        {
            db.Playbooks.Add(playbook);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var loaded = await read.Playbooks.Include(p => p.Versions).SingleAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("Weekly invoicing", "Bill every client on Friday", DelegationLevel.Supervised, 2, store.Now),
            (loaded.Name, loaded.Description, loaded.Delegation, loaded.LatestVersion, loaded.UpdatedAt));
        var versions = loaded.Versions.OrderBy(v => v.Number).ToList();
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.Equal([DefinitionV1, DefinitionV2], versions.Select(v => v.Definition));
        Assert.Equal([Sha256(DefinitionV1), Sha256(DefinitionV2)], versions.Select(v => v.ContentHash));
        Assert.All(versions, v => Assert.Equal(DateTimeKind.Utc, v.CreatedAt.Kind));
        Assert.Equal("Supervised", await store.ScalarAsync("SELECT Delegation FROM Playbooks;"));
    }

    [Fact]
    public async Task A_version_added_to_a_stored_playbook_is_saved_as_the_next_number()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var playbook = Playbook.Create("Outreach", store.Now);
        playbook.AddVersion("blazoros.graph/1", DefinitionV1, store.Now);
        await using (var db = store.NewContext())
        {
            db.Playbooks.Add(playbook);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = store.NewContext())
        {
            var stored = await db.Playbooks.Include(p => p.Versions).SingleAsync(TestContext.Current.CancellationToken);
            stored.AddVersion("blazoros.graph/1", DefinitionV2, store.Now);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var numbers = await read.PlaybookVersions.OrderBy(v => v.Number).Select(v => v.Number).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([1, 2], numbers);
        Assert.Equal(2, (await read.Playbooks.SingleAsync(TestContext.Current.CancellationToken)).LatestVersion);
    }

    [Fact]
    public async Task Two_saves_that_race_for_the_same_version_number_cannot_both_win()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var playbook = Playbook.Create("Outreach", store.Now);
        playbook.AddVersion("blazoros.graph/1", DefinitionV1, store.Now);
        await using (var db = store.NewContext())
        {
            db.Playbooks.Add(playbook);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var first = store.NewContext();
        await using var second = store.NewContext();
        var a = await first.Playbooks.Include(p => p.Versions).SingleAsync(TestContext.Current.CancellationToken);
        var b = await second.Playbooks.Include(p => p.Versions).SingleAsync(TestContext.Current.CancellationToken);
        a.AddVersion("blazoros.graph/1", DefinitionV2, store.Now);
        b.AddVersion("blazoros.graph/1", DefinitionV1 + " ", store.Now);
        await first.SaveChangesAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Equal(Sha256(DefinitionV2), await store.ScalarAsync("SELECT ContentHash FROM PlaybookVersions WHERE Number = 2;"));
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
