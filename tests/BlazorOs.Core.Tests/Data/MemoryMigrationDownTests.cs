using BlazorOs.Core.Memory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BlazorOs.Core.Tests.Data;

/// <summary>
/// Rolling the SQLite schema back from MemoryItems to MemoryRevisionsAndSearch leaves the fact search as that migration made
/// it. EF drops a SQLite column by rebuilding the table, and dropping the old Facts table would drop its triggers: the
/// full-text index would then silently stop following facts written, changed or deleted afterwards.
/// </summary>
public sealed class MemoryMigrationDownTests
{
    private const string Previous = "20261202203441_MemoryRevisionsAndSearch";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_migrating_down_past_MemoryItems_facts_written_changed_and_deleted_are_followed_by_the_search_index()
    {
        await using var store = TempStore.Create();
        Directory.CreateDirectory(store.DataFolder);
        await store.MigrateAsync();
        await using (var db = store.NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Previous, Ct);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO Provenance (Id, Source, Actor, At) VALUES ('0193A2B4-0000-7000-8000-0000000000A1', 'Operator', 'operator', '2026-12-01 10:00:00');
                INSERT INTO Facts (Id, Subject, Predicate, ValueKind, ValueText, Confidence, Scope, ProvenanceId, Revision, CreatedAt, UpdatedAt)
                VALUES ('0193A2B4-0000-7000-8000-0000000000A2', 'Zanzibar Trading', 'channel', 'Text', 'telegraph', 1.0, 'business',
                        '0193A2B4-0000-7000-8000-0000000000A1', 1, '2026-12-01 10:00:00', '2026-12-01 10:00:00');
                INSERT INTO Facts (Id, Subject, Predicate, ValueKind, ValueText, Confidence, Scope, ProvenanceId, Revision, CreatedAt, UpdatedAt)
                VALUES ('0193A2B4-0000-7000-8000-0000000000A3', 'Quuxcorp', 'channel', 'Text', 'semaphore', 1.0, 'business',
                        '0193A2B4-0000-7000-8000-0000000000A1', 1, '2026-12-01 10:00:00', '2026-12-01 10:00:00');
                UPDATE Facts SET ValueText = 'heliograph' WHERE Id = '0193A2B4-0000-7000-8000-0000000000A2';
                DELETE FROM Facts WHERE Id = '0193A2B4-0000-7000-8000-0000000000A3';
                """, Ct);
        }

        Assert.Equal(3L, await store.ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'TR_Facts_Search_%';"));
        Assert.Equal(1L, await Matches("zanzibar"));
        Assert.Equal(1L, await Matches("heliograph"));
        Assert.Equal(0L, await Matches("telegraph"));
        Assert.Equal(0L, await Matches("quuxcorp"));
        Assert.Equal(1L, await store.ScalarAsync("SELECT count(*) FROM FactsSearchRows;"));

        // And up again: the fact written in between is found by the app's search.
        await store.MigrateAsync();
        var hit = Assert.Single(await store.Get<MemorySearch>().SearchAsync(new MemoryQuery("heliograph"), Ct));
        Assert.Equal(Guid.Parse("0193A2B4-0000-7000-8000-0000000000A2"), hit.Id);

        Task<object?> Matches(string word) => store.ScalarAsync($"SELECT count(*) FROM FactsSearch WHERE FactsSearch MATCH '\"{word}\"';");
    }
}
