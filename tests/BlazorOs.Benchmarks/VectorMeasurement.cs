using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Memory.Vectors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorOs.Benchmarks;

/// <summary>What <c>--vectors</c> runs: <c>--items 100000 --dims 384 --queries 200</c>.</summary>
/// <c>--keep</c> leaves the store behind (its folder is printed) to look at query plans.
internal sealed record VectorOptions(int Items = 100_000, int Dims = 384, int Queries = 200, bool Keep = false)
{
    public static VectorOptions Parse(IReadOnlyList<string> args)
    {
        int Read(string name, int fallback)
        {
            var at = args.ToList().IndexOf("--" + name);
            return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var defaults = new VectorOptions();
        return new VectorOptions(Read("items", defaults.Items), Read("dims", defaults.Dims), Read("queries", defaults.Queries), args.Contains("--keep"));
    }
}

/// <summary>
/// Recall by meaning at scale on a real SQLite file: seeds facts (as <c>--memory</c> does) and one random unit vector per
/// fact written straight into <c>MemoryVectors</c> (no model involved), then times <see cref="MemoryVectorSearch"/>'s
/// nearest-items step — reading the candidates the filters leave and scoring them in process, then confirming the best
/// against the items — for filter shapes that
/// leave different numbers of candidates, with the default cap (<see cref="MemoryVectorSearch.MaxCandidates"/>) and with
/// none (a full scan). Also the pure scoring cost over vectors already in memory, the bytes per vector on disk, and the
/// peak memory of a full scan. Figures for a report, not assertions.
/// </summary>
internal static class VectorMeasurement
{
    public static async Task<int> RunAsync(VectorOptions options)
    {
        var root = Path.Combine(Path.GetTempPath(), "blazoros-bench", "vectors-" + Guid.NewGuid().ToString("N"));
        var settings = DatabaseSettings.Resolve(root, null);
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddBlazorOsData(settings)
            .AddBlazorOsMemory()
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        Console.WriteLine($"BlazorOs vector measurement: {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores; store: {root}");
        Console.WriteLine($"options: {options}");

        var random = new Random(42);
        var seed = Stopwatch.StartNew();
        MemoryMeasurement.Seed(settings.ConnectionString, options.Items, MemoryMeasurement.Vocabulary(5000), random);
        Console.WriteLine($"seeded {options.Items:N0} facts in {seed.Elapsed.TotalSeconds:F1} s");
        MemoryMeasurement.Checkpoint(settings.ConnectionString);
        var before = new FileInfo(settings.SqliteFilePath!).Length;

        seed.Restart();
        WriteVectors(settings.ConnectionString, options.Dims, random);
        MemoryMeasurement.Checkpoint(settings.ConnectionString);
        var bytes = new FileInfo(settings.SqliteFilePath!).Length - before;
        Console.WriteLine($"wrote {options.Items:N0} vectors of {options.Dims} dims in {seed.Elapsed.TotalSeconds:F1} s; " +
            $"{bytes / 1048576.0:N0} MiB on disk ({bytes / (double)options.Items:N0} bytes per vector, index included)");

        using var embedder = new MemoryEmbedder(new EmbeddingSettings(new Uri("http://127.0.0.1:9/v1"), null, "bench"));
        var search = new MemoryVectorSearch(embedder, NullLogger<MemoryVectorSearch>.Instance);
        var dbFactory = services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>();
        var now = DateTime.UtcNow;
        var shapes = new (string Label, MemoryQuery Query)[]
        {
            ("no filter", new MemoryQuery("q")),
            ("scope business (~60 %)", new MemoryQuery("q", Scope: "business")),
            ("readable clients:* (~30 %)", new MemoryQuery("q") { Readable = MemoryScopeSet.Of(["clients:*"]) }),
            ("scope private (~10 %)", new MemoryQuery("q", Scope: "private")),
            ("last 30 days (~8 %)", new MemoryQuery("q") { Since = now.AddDays(-30) }),
        };
        foreach (var cap in new[] { MemoryVectorSearch.MaxCandidates, int.MaxValue })
        {
            foreach (var (label, query) in shapes)
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var candidates = await CountCandidatesAsync(db, query, cap);
                var queries = cap == int.MaxValue ? Math.Max(10, options.Queries / 10) : options.Queries;
                for (var i = 0; i < 3; i++)
                {
                    await search.NearestAsync(db, query, [MemoryItemTypes.Fact], RandomUnit(random, options.Dims), 20, default, cap);
                }

                var times = new List<double>(queries);
                for (var i = 0; i < queries; i++)
                {
                    var vector = RandomUnit(random, options.Dims);
                    var watch = Stopwatch.StartNew();
                    await search.NearestAsync(db, query, [MemoryItemTypes.Fact], vector, 20, default, cap);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                Console.WriteLine($"nearest 20 ({label}, {(cap == int.MaxValue ? "no cap" : $"cap {cap:N0}")}): {candidates:N0} candidates, " +
                    $"p50 {MemoryMeasurement.Percentile(times, 0.50):F1} ms, p95 {MemoryMeasurement.Percentile(times, 0.95):F1} ms ({queries} queries)");
            }
        }

        // The full scan's memory: every candidate's vector is read before scoring.
        using (var sampler = new MemoryMeasurement.PeakSampler())
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await search.NearestAsync(db, new MemoryQuery("q"), [MemoryItemTypes.Fact], RandomUnit(random, options.Dims), 20, default, int.MaxValue);
            var (managed, workingSet, start) = sampler.Stop();
            Console.WriteLine($"full scan of {options.Items:N0}: peak managed heap {managed / 1048576.0:N0} MiB, peak working set " +
                $"{workingSet / 1048576.0:N0} MiB (before: {start / 1048576.0:N0} MiB)");
        }

        MeasureScoring(options, random);
        SqliteConnection.ClearAllPools();
        if (!options.Keep)
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>Dot products over vectors already in memory: the in-process part alone, without reading the store.</summary>
    private static void MeasureScoring(VectorOptions options, Random random)
    {
        var vectors = Enumerable.Range(0, options.Items).Select(_ => VectorMath.ToBytes(RandomUnit(random, options.Dims))).ToArray();
        var query = RandomUnit(random, options.Dims);
        var times = new List<double>();
        var best = 0f;
        for (var run = 0; run < 23; run++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var vector in vectors)
            {
                best = Math.Max(best, VectorMath.Similarity(vector, query) ?? 0);
            }

            if (run >= 3)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine($"scoring alone ({options.Items:N0} x {options.Dims} dims, in memory): p50 {MemoryMeasurement.Percentile(times, 0.50):F1} ms, " +
            $"p95 {MemoryMeasurement.Percentile(times, 0.95):F1} ms (best cosine {best:F2})");
    }

    private static async Task<int> CountCandidatesAsync(BlazorOsDbContext db, MemoryQuery query, int cap)
    {
        var (sql, parameters) = MemoryVectorSearch.CandidatesSql(MemoryItemTypes.Fact, query, "bench", cap);
        await using var command = await MemoryVectorSearch.CommandAsync(db, "SELECT count(*) FROM (" + sql + ") AS c", parameters, default);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static void WriteVectors(string connectionString, int dims, Random random)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var facts = new List<(string Id, string At, string Scope, string Subject)>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT Id, UpdatedAt, Scope, Subject FROM Facts;";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                facts.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        const int PerTransaction = 20_000;
        for (var done = 0; done < facts.Count;)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO MemoryVectors (ItemType, ItemId, Model, ContentHash, SourceUpdatedAt, Scope, Subject, Dimensions, Vector, EmbeddedAt)
                VALUES ('fact', $id, 'bench', 'bench', $at, $scope, $subject, $dims, $vector, $at);
                """;
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Text);
            var scope = insert.Parameters.Add("$scope", SqliteType.Text);
            var subject = insert.Parameters.Add("$subject", SqliteType.Text);
            var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
            insert.Parameters.AddWithValue("$dims", dims);
            insert.Prepare();
            for (var end = Math.Min(facts.Count, done + PerTransaction); done < end; done++)
            {
                (id.Value, at.Value, scope.Value, subject.Value) = facts[done];
                vector.Value = VectorMath.ToBytes(RandomUnit(random, dims));
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static float[] RandomUnit(Random random, int dims)
    {
        var vector = new float[dims];
        for (var i = 0; i < dims; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return VectorMath.Normalized(vector)!;
    }
}
