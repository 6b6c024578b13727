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

/// <summary>
/// What <c>--vectors</c> runs: <c>--items 100000 --dims 384 --queries 200 --index-only 1000000</c>; <c>--no-store-scan</c>
/// leaves out the store-scan comparison (minutes at a million).
/// </summary>
/// <c>--keep</c> leaves the store behind (its folder is printed) to look at query plans.
internal sealed record VectorOptions(int Items = 100_000, int Dims = 384, int Queries = 200, bool Keep = false, int IndexOnly = 1_000_000,
    bool StoreScan = true)
{
    public static VectorOptions Parse(IReadOnlyList<string> args)
    {
        int Read(string name, int fallback)
        {
            var at = args.ToList().IndexOf("--" + name);
            return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var defaults = new VectorOptions();
        return new VectorOptions(Read("items", defaults.Items), Read("dims", defaults.Dims), Read("queries", defaults.Queries), args.Contains("--keep"),
            Read("index-only", defaults.IndexOnly), !args.Contains("--no-store-scan"));
    }
}

/// <summary>
/// Recall by meaning at scale on a real SQLite file: seeds facts (as <c>--memory</c> does) and one unit vector per fact
/// written straight into <c>MemoryVectors</c> (no model involved; each near one of <see cref="Topics"/> random directions,
/// so a query near a topic has ~1/<see cref="Topics"/> of the items above the similarity floor, as real recall would),
/// then: the in-memory index's load time and managed memory; <see cref="MemoryVectorSearch"/>'s nearest-items step
/// through the index (score every candidate the filters leave, re-rank and confirm the best against the items) for filter
/// shapes that leave different numbers of candidates; the same through the store scan it replaced (cap 20,000 and none);
/// scoring alone (float32 and int8); and the index alone at <c>--index-only</c> items (default 1,000,000) in memory.
/// Figures for a report, not assertions.
/// </summary>
internal static class VectorMeasurement
{
    private const int Topics = 50;

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
        Console.WriteLine($"BlazorOs vector measurement: {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, " +
            $"SIMD {System.Numerics.Vector<sbyte>.Count * 8} bits; store: {root}");
        Console.WriteLine($"options: {options}; load average {LoadAverage()}");

        var random = new Random(42);
        var topics = Enumerable.Range(0, Topics).Select(_ => RandomUnit(random, options.Dims)).ToArray();
        var seed = Stopwatch.StartNew();
        MemoryMeasurement.Seed(settings.ConnectionString, options.Items, MemoryMeasurement.Vocabulary(5000), random);
        Console.WriteLine($"seeded {options.Items:N0} facts in {seed.Elapsed.TotalSeconds:F1} s");
        MemoryMeasurement.Checkpoint(settings.ConnectionString);
        var before = new FileInfo(settings.SqliteFilePath!).Length;

        seed.Restart();
        WriteVectors(settings.ConnectionString, options.Dims, topics, random);
        MemoryMeasurement.Checkpoint(settings.ConnectionString);
        var bytes = new FileInfo(settings.SqliteFilePath!).Length - before;
        Console.WriteLine($"wrote {options.Items:N0} vectors of {options.Dims} dims in {seed.Elapsed.TotalSeconds:F1} s; " +
            $"{bytes / 1048576.0:N0} MiB on disk ({bytes / (double)options.Items:N0} bytes per vector, index included)");

        using var embedder = new MemoryEmbedder(new EmbeddingSettings(new Uri("http://127.0.0.1:9/v1"), null, "bench"));
        var dbFactory = services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>();
        using var index = new MemoryVectorIndex(dbFactory, embedder, NullLogger<MemoryVectorIndex>.Instance);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var load = Stopwatch.StartNew();
        if (!await index.LoadAsync())
        {
            Console.WriteLine("the index could not be built");
            return 1;
        }

        load.Stop();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"index load: {index.Count:N0} vectors in {load.Elapsed.TotalMilliseconds:N0} ms; managed heap +{(heapAfter - heapBefore) / 1048576.0:N0} MiB " +
            $"({(heapAfter - heapBefore) / (double)index.Count:N0} bytes per vector; segments {index.Bytes / 1048576.0:N0} MiB); load average {LoadAverage()}");

        var search = new MemoryVectorSearch(embedder, index, NullLogger<MemoryVectorSearch>.Instance);
        var now = DateTime.UtcNow;
        var shapes = new (string Label, MemoryQuery Query)[]
        {
            ("no filter", new MemoryQuery("q")),
            ("scope business (~60 %)", new MemoryQuery("q", Scope: "business")),
            ("readable clients:* (~30 %)", new MemoryQuery("q") { Readable = MemoryScopeSet.Of(["clients:*"]) }),
            ("scope private (~10 %)", new MemoryQuery("q", Scope: "private")),
            ("last 30 days (~8 %)", new MemoryQuery("q") { Since = now.AddDays(-30) }),
        };
        foreach (var path in options.StoreScan ? ["index", "store scan cap 20,000", "store scan no cap"] : new[] { "index" })
        {
            foreach (var (label, query) in shapes)
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var candidates = await CountCandidatesAsync(db, query);
                var queries = path == "index" ? options.Queries : Math.Max(10, options.Queries / 10);
                Task<IReadOnlyList<(string Type, Guid Id)>?> Nearest(float[] vector) => path switch
                {
                    "index" => search.NearestAsync(db, query, [MemoryItemTypes.Fact], vector, 20, default),
                    "store scan no cap" => Nullable(search.ScanStoreAsync(db, query, [MemoryItemTypes.Fact], vector, 20, default, int.MaxValue)),
                    _ => Nullable(search.ScanStoreAsync(db, query, [MemoryItemTypes.Fact], vector, 20, default)),
                };
                for (var i = 0; i < 3; i++)
                {
                    await Nearest(TopicQuery(random, topics, options.Dims));
                }

                var times = new List<double>(queries);
                var found = 0;
                for (var i = 0; i < queries; i++)
                {
                    var vector = TopicQuery(random, topics, options.Dims);
                    var watch = Stopwatch.StartNew();
                    found += (await Nearest(vector))?.Count ?? 0;
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                Console.WriteLine($"nearest 20 ({label}, {path}): {candidates:N0} candidates, {found / (double)queries:F1} found, " +
                    $"p50 {MemoryMeasurement.Percentile(times, 0.50):F1} ms, p95 {MemoryMeasurement.Percentile(times, 0.95):F1} ms ({queries} queries); " +
                    $"load average {LoadAverage()}");
            }
        }

        MeasureScoring(options, random);
        await MeasureIndexAloneAsync(options, topics, random, dbFactory);
        SqliteConnection.ClearAllPools();
        if (!options.Keep)
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    private static async Task<IReadOnlyList<(string Type, Guid Id)>?> Nullable(Task<IReadOnlyList<(string Type, Guid Id)>> task) => await task;

    /// <summary>The first figure of /proc/loadavg (the machine is shared: read times against it).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>
    /// The index without a store: <c>--index-only</c> vectors put in one by one as the indexer would, then unfiltered
    /// and filtered scans (the part of a search that grows with the items), and the managed memory it holds.
    /// </summary>
    private static async Task MeasureIndexAloneAsync(VectorOptions options, float[][] topics, Random random,
        IDbContextFactory<BlazorOsDbContext> dbFactory)
    {
        if (options.IndexOnly <= 0)
        {
            return;
        }

        // A model with no stored vectors: the load finds none, and the index takes what is put in.
        using var embedder = new MemoryEmbedder(new EmbeddingSettings(new Uri("http://127.0.0.1:9/v1"), null, "bench-alone"));
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var index = new MemoryVectorIndex(dbFactory, embedder, NullLogger<MemoryVectorIndex>.Instance);
        await index.LoadAsync();
        var scopes = new[] { "business", "business", "business", "business", "business", "business", "clients:acme", "clients:globex", "clients:initech", "private" };
        var start = DateTime.UtcNow.AddDays(-365);
        var fill = Stopwatch.StartNew();
        for (var i = 0; i < options.IndexOnly; i++)
        {
            var item = new MemoryItemVersion(MemoryItemTypes.Fact, Guid.NewGuid(), start.AddSeconds(i * (365.0 * 86400 / options.IndexOnly)),
                scopes[random.Next(scopes.Length)], "subject " + random.Next(1000));
            index.Upsert(item, TopicVector(random, topics, options.Dims));
        }

        fill.Stop();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"index alone: {index.Count:N0} vectors put in {fill.Elapsed.TotalSeconds:F1} s; managed heap +{(heapAfter - heapBefore) / 1048576.0:N0} MiB " +
            $"({(heapAfter - heapBefore) / (double)index.Count:N0} bytes per vector)");
        foreach (var (label, query) in new (string, MemoryQuery)[]
        {
            ("no filter", new MemoryQuery("q")),
            ("readable clients:*", new MemoryQuery("q") { Readable = MemoryScopeSet.Of(["clients:*"]) }),
            ("last 30 days", new MemoryQuery("q") { Since = DateTime.UtcNow.AddDays(-30) }),
        })
        {
            var times = new List<double>();
            for (var run = 0; run < 23; run++)
            {
                var vector = TopicQuery(random, topics, options.Dims);
                var watch = Stopwatch.StartNew();
                index.Nearest(vector, query, [MemoryItemTypes.Fact], 80, MemoryVectorSearch.MinSimilarity);
                if (run >= 3)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            Console.WriteLine($"index alone, top 80 of {index.Count:N0} ({label}): p50 {MemoryMeasurement.Percentile(times, 0.50):F1} ms, " +
                $"p95 {MemoryMeasurement.Percentile(times, 0.95):F1} ms; load average {LoadAverage()}");
        }
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
        var codes = vectors.Select(v =>
        {
            var c = new sbyte[options.Dims];
            VectorMath.Quantize(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(v), c);
            return c;
        }).ToArray();
        var queryCodes = new sbyte[options.Dims];
        VectorMath.Quantize(query, queryCodes);
        var int8Times = new List<double>();
        var bestInt = 0;
        for (var run = 0; run < 23; run++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var code in codes)
            {
                bestInt = Math.Max(bestInt, VectorMath.DotInt8(code, queryCodes));
            }

            if (run >= 3)
            {
                int8Times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        int8Times.Sort();
        Console.WriteLine($"scoring alone int8 ({options.Items:N0} x {options.Dims} dims, in memory): p50 {MemoryMeasurement.Percentile(int8Times, 0.50):F1} ms, " +
            $"p95 {MemoryMeasurement.Percentile(int8Times, 0.95):F1} ms");
        Console.WriteLine($"scoring alone float32 ({options.Items:N0} x {options.Dims} dims, in memory): p50 {MemoryMeasurement.Percentile(times, 0.50):F1} ms, " +
            $"p95 {MemoryMeasurement.Percentile(times, 0.95):F1} ms (best cosine {best:F2})");
    }

    private static async Task<int> CountCandidatesAsync(BlazorOsDbContext db, MemoryQuery query)
    {
        var (sql, parameters) = MemoryVectorSearch.CandidatesSql(MemoryItemTypes.Fact, query, "bench", int.MaxValue);
        await using var command = await MemoryVectorSearch.CommandAsync(db, "SELECT count(*) FROM (" + sql + ") AS c", parameters, default);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static void WriteVectors(string connectionString, int dims, float[][] topics, Random random)
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
                vector.Value = VectorMath.ToBytes(TopicVector(random, topics, dims));
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>An item near one topic: cosine ~0.6 to a query near the same topic, ~0 to the others.</summary>
    private static float[] TopicVector(Random random, float[][] topics, int dims)
    {
        var topic = topics[random.Next(topics.Length)];
        var noise = RandomUnit(random, dims);
        return VectorMath.Normalized(topic.Zip(noise, (t, n) => t + (0.8f * n)).ToArray())!;
    }

    private static float[] TopicQuery(Random random, float[][] topics, int dims) => TopicVector(random, topics, dims);

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
