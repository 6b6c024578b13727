using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlazorOs.Core.Tests.Memory;

/// <summary>
/// The PostgreSQL side of memory: the migrations (revisions table, tsvector GIN index) and MemorySearch's tsquery,
/// on a real server. Runs when <c>BLAZOROS_TEST_POSTGRES</c> holds a connection string for a user that may create
/// databases (each test makes and drops its own); skipped otherwise, as no server runs in the default test setup.
/// </summary>
public sealed class PostgresMemorySearchTests
{
    public const string ServerVariable = "BLAZOROS_TEST_POSTGRES";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_PostgreSQL_search_ranks_subject_matches_first_and_follows_every_change()
    {
        await using var store = await PostgresStore.CreateAsync();
        var facts = store.Services.GetRequiredService<FactService>();
        var search = store.Services.GetRequiredService<MemorySearch>();
        static Provenance Operator() => Provenance.Of(ProvenanceSource.Operator, "operator", DateTime.UtcNow);
        var inSubject = await facts.AddAsync(new FactInput("Café Initech", "industry", JsonValue.Create("Banking")), Operator(), Ct);
        var inValue = await facts.AddAsync(new FactInput("Globex", "supplier", JsonValue.Create("Initech"), Scope: "clients:globex"), Operator(), Ct);

        var hits = await search.SearchAsync(new MemoryQuery("INITECH"), Ct);
        Assert.Equal([inSubject.Id, inValue.Id], hits.Select(h => h.Id));
        Assert.True(hits[0].Score > hits[1].Score);
        Assert.Equal(inValue.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("initech", Scope: "clients:globex"), Ct)).Id);
        Assert.Equal(inSubject.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("caf bank"), Ct)).Id);
        Assert.Empty(await search.SearchAsync(new MemoryQuery("' & | ! :* ("), Ct));

        await facts.ChangeAsync(inValue.Id, new FactChange(JsonValue.Create("Hooli"), Reason: "Switched supplier"), Operator(), Ct);

        Assert.Equal(inSubject.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("initech"), Ct)).Id);
        Assert.Equal(inValue.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("hooli"), Ct)).Id);
        var history = (await facts.RevisionsAsync(inValue.Id, Ct))!;
        Assert.Equal([(1, (string?)null, "Initech"), (2, "Initech", "Hooli")], history.Select(r => (r.Number, r.OldText, r.NewText)));
    }

    [Fact]
    public async Task On_PostgreSQL_decisions_and_records_are_found_changed_and_kept_by_retention_rules()
    {
        await using var store = await PostgresStore.CreateAsync();
        var decisions = store.Services.GetRequiredService<DecisionService>();
        var records = store.Services.GetRequiredService<RecordService>();
        var search = store.Services.GetRequiredService<MemorySearch>();
        static Provenance Operator() => Provenance.Of(ProvenanceSource.Operator, "operator", DateTime.UtcNow);
        var older = await decisions.AddAsync(new NewDecision("Drop the Globex pilot", "Too little margin", ["Renegotiate"]), Operator(), Ct);
        var newer = await decisions.AddAsync(new NewDecision("Invoice Globex monthly", "Cash flow"), Operator(), Ct);
        var contact = await records.AddAsync("contact", new JsonObject { ["name"] = "Ada Lovelace", ["role"] = "Globex account lead" }, "clients:globex",
            Operator(), cancellationToken: Ct);

        var globex = await search.SearchAsync(new MemoryQuery("globex"), Ct);
        Assert.Equal(3, globex.Count);
        Assert.Equal(contact.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("lovelace", Type: "record"), Ct)).Id);
        var everyWordFirst = await search.SearchAsync(new MemoryQuery("globex monthly"), Ct);
        Assert.Equal((newer.Id, 3), (everyWordFirst[0].Id, everyWordFirst.Count));

        await decisions.ChangeAsync(newer.Id, new DecisionChange("Invoice Globex quarterly", "Their finance team asked"), Operator(), Ct);
        Assert.Empty(await search.SearchAsync(new MemoryQuery("monthly"), Ct));
        Assert.Equal(2, (await decisions.RevisionsAsync(newer.Id, Ct))!.Count);

        var retention = store.Services.GetRequiredService<MemoryRetention>();
        await retention.SaveRuleAsync(new RetentionRuleInput("decision", null, RetentionMode.KeepLatest, 1), Ct);
        var log = await retention.ApplyAsync(Ct);

        Assert.Equal(1, log.Sum(e => e.Deleted));
        Assert.Null(await decisions.GetAsync(older.Id, Ct));
        var remaining = await search.SearchAsync(new MemoryQuery("globex"), Ct);
        Assert.Equal(new[] { newer.Id, contact.Id }.Order(), remaining.Select(h => h.Id).Order());
    }

    [Fact]
    public async Task On_PostgreSQL_the_search_index_exists_with_the_expression_the_query_uses()
    {
        await using var store = await PostgresStore.CreateAsync();
        await using var db = await store.Services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Ct);

        var definition = await db.Database.SqlQueryRaw<string>(
            "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'Facts' AND indexname = 'IX_Facts_Search'").SingleAsync(Ct);

        Assert.Contains("USING gin", definition, StringComparison.Ordinal);
        Assert.Contains("setweight(to_tsvector('simple'::regconfig", definition, StringComparison.Ordinal);
    }

    /// <summary>A database of its own on the server, migrated; dropped on dispose.</summary>
    /// <summary>A database of its own on the server of <see cref="ServerVariable"/>, migrated; dropped on dispose.</summary>
    internal sealed class PostgresStore : IAsyncDisposable
    {
        private PostgresStore(ServiceProvider services) => Services = services;

        public ServiceProvider Services { get; }

        /// <param name="model">The model endpoint the memory services see (e.g. with an embeddings model); none by default.</param>
        public static async Task<PostgresStore> CreateAsync(ModelEndpoint? model = null)
        {
            var server = Environment.GetEnvironmentVariable(ServerVariable);
            Assert.SkipWhen(string.IsNullOrWhiteSpace(server), $"{ServerVariable} is not set: no PostgreSQL server to test against.");
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = $"blazoros_test_{Guid.NewGuid():N}" }.ToString();
            var settings = DatabaseSettings.Resolve(Path.GetTempPath(), connection);
            var services = new ServiceCollection().AddLogging();
            if (model is not null)
            {
                services.AddSingleton(model);
            }

            var store = new PostgresStore(services.AddBlazorOsData(settings).AddBlazorOsMemory().BuildServiceProvider());
            await store.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
            return store;
        }

        public async ValueTask DisposeAsync()
        {
            await using (var db = await Services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync())
            {
                await db.Database.EnsureDeletedAsync();
            }

            await Services.DisposeAsync();
        }
    }
}
