using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Benchmarks;

/// <summary>
/// What <c>--memory</c> runs: <c>--facts 1000000 --queries 1000 --service-inserts 2000</c>; <c>--data FOLDER</c> measures
/// search only on a data folder that is kept afterwards (seeded first when it holds no facts yet), e.g. to compare query
/// shapes on the same million facts; <c>--own-provenance</c> gives every seeded fact a provenance row of its own (as one write per fact has) instead of one
/// shared by all, so the retention pass has that many provenance rows to clean up.
/// </summary>
internal sealed record MemoryOptions(int Facts = 1_000_000, int Queries = 1000, int ServiceInserts = 2000, string? Data = null,
    bool OwnProvenance = false)
{
    public static MemoryOptions Parse(IReadOnlyList<string> args)
    {
        int Read(string name, int fallback)
        {
            var at = args.ToList().IndexOf("--" + name);
            return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var defaults = new MemoryOptions();
        var data = args.ToList().IndexOf("--data");
        return new MemoryOptions(Read("facts", defaults.Facts), Read("queries", defaults.Queries), Read("service-inserts", defaults.ServiceInserts),
            data >= 0 && data + 1 < args.Count ? args[data + 1] : null, args.Contains("--own-provenance"));
    }
}

/// <summary>
/// The memory plane at scale on a real SQLite file (migrated as the app migrates it, WAL, synchronous=FULL): seeds facts
/// (each with its first revision; the FTS5 triggers index them as the app's writes would be), then measures insert
/// throughput (bulk SQL and through <see cref="FactService"/>), ranked-search latency through <see cref="MemorySearch"/>,
/// the database size, and a retention pass that deletes about half the facts (time and peak memory). Figures for a
/// report, not assertions.
/// </summary>
internal static class MemoryMeasurement
{
    private static readonly string[] Predicates =
        ["segment", "industry", "payment-terms", "prefers-channel", "city", "owner", "status", "renewal-month", "tier", "language", "note", "contact"];

    public static async Task<int> RunAsync(MemoryOptions options)
    {
        var root = options.Data ?? Path.Combine(Path.GetTempPath(), "blazoros-bench", "memory-" + Guid.NewGuid().ToString("N"));
        var settings = DatabaseSettings.Resolve(root, null);
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddBlazorOsData(settings)
            .AddBlazorOsMemory()
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        Console.WriteLine($"BlazorOs memory measurement: {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores; store: {root}");
        Console.WriteLine($"options: {options}");

        var words = Vocabulary(5000);
        var random = new Random(42);
        if (options.Data is not null)
        {
            if (CountFacts(settings.ConnectionString) == 0)
            {
                var seeding = Stopwatch.StartNew();
                Console.WriteLine($"seeded {Seed(settings.ConnectionString, options.Facts, words, random, options.OwnProvenance):N0} facts into {root} in {seeding.Elapsed.TotalSeconds:F1} s");
                Checkpoint(settings.ConnectionString);
            }

            await MeasureSearchAsync(services.GetRequiredService<MemorySearch>(), options, words, random);
            await services.DisposeAsync();
            return 0;
        }

        var seed = Stopwatch.StartNew();
        var seeded = Seed(settings.ConnectionString, options.Facts, words, random, options.OwnProvenance);
        seed.Stop();
        Console.WriteLine($"seeded {seeded:N0} facts (+ 1 revision each, FTS5 by triggers) in {seed.Elapsed.TotalSeconds:F1} s: " +
            $"{seeded / seed.Elapsed.TotalSeconds:N0} facts/s (bulk SQL, 50,000 per transaction)");

        var facts = services.GetRequiredService<FactService>();
        var insert = Stopwatch.StartNew();
        for (var i = 0; i < options.ServiceInserts; i++)
        {
            await facts.AddAsync(new NewFact($"Service {i}", Predicates[i % Predicates.Length], FactValue.OfText(Phrase(words, random, 3)), "business", 0.9),
                ProvenanceSource.Operator, "bench");
        }

        insert.Stop();
        Console.WriteLine($"FactService.AddAsync: {options.ServiceInserts:N0} facts, one transaction each, in {insert.Elapsed.TotalSeconds:F1} s: " +
            $"{options.ServiceInserts / insert.Elapsed.TotalSeconds:N0} facts/s");

        Checkpoint(settings.ConnectionString);
        var bytes = new FileInfo(settings.SqliteFilePath!).Length;
        Console.WriteLine($"database: {bytes / 1048576.0:N0} MiB ({bytes / (double)(seeded + options.ServiceInserts):N0} bytes per fact, revisions and index included)");

        await MeasureSearchAsync(services.GetRequiredService<MemorySearch>(), options, words, random);

        var retention = services.GetRequiredService<MemoryRetention>();
        var rule = new RetentionRuleInput(MemoryItemTypes.Fact, null, RetentionMode.KeepDays, 180);
        var previewWatch = Stopwatch.StartNew();
        var preview = await retention.PreviewAsync(rule);
        Console.WriteLine($"retention preview (fact, keep 180 days): {preview.Count:N0} facts in {previewWatch.Elapsed.TotalSeconds:F1} s");
        await retention.SaveRuleAsync(rule);
        var provenanceBefore = CountProvenance(settings.ConnectionString);
        using var sampler = new PeakSampler();
        var applyWatch = Stopwatch.StartNew();
        var log = await retention.ApplyAsync();
        applyWatch.Stop();
        var (peakManaged, peakWorkingSet, before) = sampler.Stop();
        Console.WriteLine($"retention pass: deleted {log.Sum(e => e.Deleted):N0} facts (with revisions and FTS rows) in {applyWatch.Elapsed.TotalSeconds:F1} s " +
            $"({log.Sum(e => e.Deleted) / applyWatch.Elapsed.TotalSeconds:N0}/s); peak managed heap {peakManaged / 1048576.0:N0} MiB, " +
            $"peak working set {peakWorkingSet / 1048576.0:N0} MiB (before: {before / 1048576.0:N0} MiB)");
        Console.WriteLine($"provenance rows: {provenanceBefore:N0} before the pass, {CountProvenance(settings.ConnectionString):N0} after");

        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
        return 0;
    }

    /// <summary>
    /// Ranked search through the app's service: unfiltered, with a common scope (six facts in ten) and with one client's
    /// scope (about 0.1 %: the newest matches are streamed until enough pass, so a rare scope with common words is the slow
    /// shape).
    /// </summary>
    private static async Task MeasureSearchAsync(MemorySearch search, MemoryOptions options, string[] words, Random random)
    {
        foreach (var (label, terms, scope) in new[] { ("1 word", 1, (string?)null), ("2 words", 2, null), ("3 words", 3, null),
            ("1 word, scope business", 1, "business"), ("2 words, scope business", 2, "business"),
            ("1 word, one client's scope", 1, "clients:" + words[7]) })
        {
            // Warm-up: JIT and the page cache for the query shape.
            for (var i = 0; i < 20; i++)
            {
                await search.SearchAsync(new MemoryQuery(Phrase(words, random, terms), Scope: scope));
            }

            var times = new List<double>(options.Queries);
            var hits = 0L;
            for (var i = 0; i < options.Queries; i++)
            {
                var watch = Stopwatch.StartNew();
                hits += (await search.SearchAsync(new MemoryQuery(Phrase(words, random, terms), Scope: scope))).Count;
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"search ({label}, all types, limit 20, {options.Queries:N0} queries): p50 {Percentile(times, 0.50):F1} ms, " +
                $"p95 {Percentile(times, 0.95):F1} ms, p99 {Percentile(times, 0.99):F1} ms, max {times[^1]:F1} ms; {hits / (double)options.Queries:F1} hits per query");
        }
    }

    /// <summary>Bulk insert with prepared commands; timestamps spread over the last 365 days so retention has work.</summary>
    internal static int Seed(string connectionString, int count, string[] words, Random random, bool ownProvenance = false)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var now = DateTime.UtcNow;
        var provenanceId = Guid.CreateVersion7().ToString().ToUpperInvariant();
        using (var p = connection.CreateCommand())
        {
            p.CommandText = "INSERT INTO Provenance (Id, Source, Actor, At) VALUES ($id, 'Import', 'benchmark', $at);";
            p.Parameters.AddWithValue("$id", provenanceId);
            p.Parameters.AddWithValue("$at", Stamp(now));
            p.ExecuteNonQuery();
        }

        const int PerTransaction = 50_000;
        for (var done = 0; done < count;)
        {
            using var transaction = connection.BeginTransaction();
            using var fact = connection.CreateCommand();
            fact.CommandText = """
                INSERT INTO Facts (Id, Subject, Predicate, ValueKind, ValueText, Confidence, Scope, ProvenanceId, Revision, CreatedAt, UpdatedAt, NeedsReview)
                VALUES ($id, $subject, $predicate, 'Text', $value, 1.0, $scope, $provenance, 1, $at, $at, 0);
                """;
            using var revision = connection.CreateCommand();
            revision.CommandText = """
                INSERT INTO FactRevisions (FactId, Number, NewKind, NewText, NewConfidence, ProvenanceId, IsConflict)
                VALUES ($id, 1, 'Text', $value, 1.0, $provenance, 0);
                """;
            var f = (Id: fact.Parameters.Add("$id", SqliteType.Text), Subject: fact.Parameters.Add("$subject", SqliteType.Text),
                Predicate: fact.Parameters.Add("$predicate", SqliteType.Text), Value: fact.Parameters.Add("$value", SqliteType.Text),
                Scope: fact.Parameters.Add("$scope", SqliteType.Text), At: fact.Parameters.Add("$at", SqliteType.Text));
            var factProvenance = fact.Parameters.AddWithValue("$provenance", provenanceId);
            var r = (Id: revision.Parameters.Add("$id", SqliteType.Text), Value: revision.Parameters.Add("$value", SqliteType.Text));
            var revisionProvenance = revision.Parameters.AddWithValue("$provenance", provenanceId);
            using var own = connection.CreateCommand();
            own.CommandText = "INSERT INTO Provenance (Id, Source, Actor, At) VALUES ($id, 'Import', 'benchmark', $at);";
            var o = (Id: own.Parameters.Add("$id", SqliteType.Text), At: own.Parameters.Add("$at", SqliteType.Text));
            fact.Prepare();
            revision.Prepare();
            own.Prepare();
            var end = Math.Min(count, done + PerTransaction);
            for (; done < end; done++)
            {
                var id = Guid.CreateVersion7().ToString().ToUpperInvariant();
                var value = Phrase(words, random, 1 + random.Next(6));
                f.Id.Value = r.Id.Value = id;
                f.Subject.Value = $"{Capitalize(words[random.Next(words.Length)])} {Capitalize(words[random.Next(words.Length)])} {done % 50_000}";
                f.Predicate.Value = Predicates[random.Next(Predicates.Length)];
                f.Value.Value = r.Value.Value = value;
                f.Scope.Value = random.Next(10) switch { 0 => "private", < 4 => "clients:" + words[random.Next(200)], _ => "business" };
                f.At.Value = Stamp(now.AddMinutes(-random.Next(365 * 24 * 60)));
                if (ownProvenance)
                {
                    o.Id.Value = Guid.CreateVersion7().ToString().ToUpperInvariant();
                    o.At.Value = f.At.Value;
                    own.ExecuteNonQuery();
                    factProvenance.Value = revisionProvenance.Value = o.Id.Value;
                }

                fact.ExecuteNonQuery();
                revision.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return count;
    }

    private static long CountFacts(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM Facts;";
        return (long)command.ExecuteScalar()!;
    }

    private static long CountProvenance(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM Provenance;";
        return (long)count.ExecuteScalar()!;
    }

    internal static void Checkpoint(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    // EF Core's SQLite text format for DateTime, so the app compares and orders these rows as its own.
    internal static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>Pronounceable made-up words: a Zipf-like draw in <see cref="Phrase"/> makes some common, most rare.</summary>
    internal static string[] Vocabulary(int size)
    {
        var random = new Random(7);
        const string consonants = "bcdfghjklmnprstvwz";
        const string vowels = "aeiou";
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < size)
        {
            var length = 2 + random.Next(3);
            var word = string.Concat(Enumerable.Range(0, length).Select(_ => $"{consonants[random.Next(consonants.Length)]}{vowels[random.Next(vowels.Length)]}"));
            words.Add(word);
        }

        return [.. words];
    }

    private static string Phrase(string[] words, Random random, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => words[(int)(words.Length * Math.Pow(random.NextDouble(), 2.5))]));

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    internal static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Samples the managed heap and the working set every 50 ms while a measurement runs.</summary>
    internal sealed class PeakSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly long _before;
        private long _managed;
        private long _workingSet;

        public PeakSampler()
        {
            GC.Collect();
            _before = Environment.WorkingSet;
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    Sample();
                    try
                    {
                        await Task.Delay(50, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });
        }

        public (long Managed, long WorkingSet, long Before) Stop()
        {
            _stop.Cancel();
            _loop.Wait();
            Sample();
            return (_managed, _workingSet, _before);
        }

        public void Dispose() => _stop.Dispose();

        private void Sample()
        {
            _managed = Math.Max(_managed, GC.GetTotalMemory(forceFullCollection: false));
            _workingSet = Math.Max(_workingSet, Environment.WorkingSet);
        }
    }
}
