using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BlazorOs.Benchmarks;

/// <summary>What <c>--measure</c> runs; every count can be set on the command line (<c>--rounds 3 --runs 100 …</c>).</summary>
internal sealed record MeasureOptions(int Rounds = 3, int RawCommits = 2000, int Runs = 100, int Concurrency = 20, int Batches = 5,
    int ProfileRuns = 50, int GrowthRuns = 1000, int WarmupSeconds = 30, int Slices = 4)
{
    public static MeasureOptions Parse(IReadOnlyList<string> args)
    {
        int Read(string name, int fallback)
        {
            var at = args.ToList().IndexOf("--" + name);
            return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var defaults = new MeasureOptions();
        return new MeasureOptions(Read("rounds", defaults.Rounds), Read("raw-commits", defaults.RawCommits), Read("runs", defaults.Runs),
            Read("concurrency", defaults.Concurrency), Read("batches", defaults.Batches), Read("profile-runs", defaults.ProfileRuns),
            Read("growth-runs", defaults.GrowthRuns), Read("warmup-seconds", defaults.WarmupSeconds), Math.Max(1, Read("slices", defaults.Slices)));
    }
}

/// <summary>
/// The whole-process measurement: raw SQLite commits and durable engine steps back to back in one process, repeated, so
/// their ratio is fair on a noisy machine; then where the time of a step goes, checkpoint sizes and database growth.
/// These are figures for a report, not assertions: nothing here fails on a slow machine.
/// </summary>
internal static class Measurement
{
    public static async Task<int> RunAsync(MeasureOptions options)
    {
        var profile = new SqlProfile();
        await using var engine = await BenchEngine.StartAsync(profile);
        using var raw = RawCommitProbe.Open(Path.Combine(engine.Root, "raw-commits.db"));

        Console.WriteLine($"BlazorOs engine measurement: {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, " +
            $"SQLite {raw.Version}");
        Console.WriteLine($"store: {engine.Root}");
        Console.WriteLine($"engine connections: journal_mode={await engine.PragmaAsync("journal_mode")}, " +
            $"synchronous={Synchronous(await engine.PragmaAsync("synchronous"))}; raw probe: journal_mode={raw.Pragma("journal_mode")}, " +
            $"synchronous={Synchronous(raw.Pragma("synchronous"))}");
        Console.WriteLine($"playbook: {NoOpPlaybook.Steps} steps (manual trigger, 8 conditions 'true', end); options: {options}");
        Console.WriteLine();

        // Warm-up: JIT and tiered compilation (its background thread competes for the two cores for tens of seconds),
        // connection pool, SQLite page cache.
        raw.Time(200);
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < options.WarmupSeconds)
        {
            await engine.RunAsync();
            await engine.RunConcurrentAsync(options.Concurrency);
        }

        var table = new Table("round", "raw commits/s", "durable steps/s", "ratio", "CPU ms/step", $"runs/s ({options.Concurrency} concurrent)",
            $"steps/s ({options.Concurrency} concurrent)", "conc. ratio");
        var rounds = new List<(double Raw, double Steps, double Runs, double Cpu)>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            // Raw commits and durable runs alternate in slices, so a burst of load from elsewhere hits both alike.
            TimeSpan rawTime = default, stepTime = default, stepCpu = default;
            for (var slice = 0; slice < options.Slices; slice++)
            {
                rawTime += raw.Time(options.RawCommits / options.Slices);
                var cpu = CpuTime();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < options.Runs / options.Slices; i++)
                {
                    await engine.RunAsync();
                }

                stepTime += clock.Elapsed;
                stepCpu += CpuTime() - cpu;
            }

            var rawRate = options.RawCommits / options.Slices * options.Slices / rawTime.TotalSeconds;
            var stepCount = options.Runs / options.Slices * options.Slices * NoOpPlaybook.Steps;
            var steps = stepCount / stepTime.TotalSeconds;
            var cpuPerStep = stepCpu.TotalMilliseconds / stepCount;
            var concurrent = Stopwatch.StartNew();
            for (var i = 0; i < options.Batches; i++)
            {
                await engine.RunConcurrentAsync(options.Concurrency);
            }

            var runs = options.Batches * options.Concurrency / concurrent.Elapsed.TotalSeconds;
            rounds.Add((rawRate, steps, runs, cpuPerStep));
            table.Add(round.ToString(CultureInfo.InvariantCulture), F0(rawRate), F0(steps), F2(steps / rawRate), F3(cpuPerStep), F1(runs),
                F0(runs * NoOpPlaybook.Steps), F2(runs * NoOpPlaybook.Steps / rawRate));
        }

        var median = (Raw: Median(rounds.Select(r => r.Raw)), Steps: Median(rounds.Select(r => r.Steps)), Runs: Median(rounds.Select(r => r.Runs)));
        table.Add("median", F0(median.Raw), F0(median.Steps), F2(Median(rounds.Select(r => r.Steps / r.Raw))),
            F3(Median(rounds.Select(r => r.Cpu))), F1(median.Runs),
            F0(median.Runs * NoOpPlaybook.Steps), F2(Median(rounds.Select(r => r.Runs * NoOpPlaybook.Steps / r.Raw))));
        table.Print();
        Console.WriteLine("ratio = durable steps/s ÷ raw commits/s of the same round (goal ≥ 0.5).");
        Console.WriteLine();

        await ProfileAsync(engine, profile, options);
        await GrowthAsync(engine, options);

        var census = await engine.CensusAsync();
        Console.WriteLine();
        Console.WriteLine($"check: {census.Completed} runs completed, {census.Other} not completed, {census.Steps} steps " +
            $"({(double)census.Steps / Math.Max(1, census.Completed + census.Other):0.0} per run), {census.Checkpoints} checkpoint rows left");
        return census.Other == 0 && census.Checkpoints == 0 ? 0 : 1;
    }

    /// <summary>Where the time of a step goes: SQL commands by kind, commits, checkpoint sizes.</summary>
    private static async Task ProfileAsync(BenchEngine engine, SqlProfile profile, MeasureOptions options)
    {
        profile.Reset();
        profile.Enabled = true;
        var allocated = GC.GetTotalAllocatedBytes();
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.ProfileRuns; i++)
        {
            await engine.RunAsync();
        }

        clock.Stop();
        cpu = CpuTime() - cpu;
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        profile.Enabled = false;
        double steps = options.ProfileRuns * NoOpPlaybook.Steps;
        var commands = profile.Commands.ToList();
        var sqlTime = TimeSpan.FromTicks(commands.Sum(c => c.Time.Ticks)) + profile.TransactionCommitTime;
        Console.WriteLine($"Per step ({options.ProfileRuns} sequential runs, profiled):");
        Console.WriteLine($"  wall time {clock.Elapsed.TotalMilliseconds / steps:0.000} ms, of which in SQL {sqlTime.TotalMilliseconds / steps:0.000} ms " +
            "(commands until their reader is disposed, plus explicit COMMITs)");
        Console.WriteLine($"  CPU {cpu.TotalMilliseconds / steps:0.000} ms (all threads), allocated {allocated / steps / 1024:0} KiB");
        Console.WriteLine($"  commits (one WAL fsync each) {profile.Commits / steps:0.00}, SQL commands {commands.Sum(c => c.Count) / steps:0.00}");
        var table = new Table("SQL command", "per step", "ms per step", "ms each");
        foreach (var (command, count, time) in commands)
        {
            table.Add(command.Length > 70 ? command[..67] + "..." : command, F2(count / steps), F3(time.TotalMilliseconds / steps),
                F3(time.TotalMilliseconds / count));
        }

        table.Add("COMMIT (explicit transactions)", F2(profile.TransactionCount / steps),
            F3(profile.TransactionCommitTime.TotalMilliseconds / steps), "");
        table.Print();
        var sizes = profile.CheckpointBytes.ToList();
        Console.WriteLine(sizes.Count == 0
            ? "  checkpoints written: none (the store wrote no checkpoint of these runs); checkpoint bytes per step 0"
            : $"  checkpoints written {sizes.Count / steps:0.00} per step; size {sizes.Average():0} bytes mean, " +
              $"{sizes.Min()} min, {sizes.Max()} max; checkpoint bytes per step {sizes.Sum() / steps:0}");
        Console.WriteLine($"  a run that waits for an approval after the same steps keeps one checkpoint of {await engine.WaitingCheckpointBytesAsync()} bytes");

        Console.WriteLine();
    }

    /// <summary>Database growth per 1,000 runs: file plus WAL after a TRUNCATE checkpoint, before and after.</summary>
    private static async Task GrowthAsync(BenchEngine engine, MeasureOptions options)
    {
        var before = await engine.SizeOnDiskAsync();
        var done = 0;
        while (done < options.GrowthRuns)
        {
            var batch = Math.Min(options.Concurrency, options.GrowthRuns - done);
            await engine.RunConcurrentAsync(batch);
            done += batch;
        }

        var after = await engine.SizeOnDiskAsync();
        var census = await engine.CensusAsync();
        Console.WriteLine($"Database growth ({options.GrowthRuns} runs, checkpoints pruned; file + WAL after a TRUNCATE checkpoint):");
        Console.WriteLine($"  {before / 1024.0:0} KiB → {after / 1024.0:0} KiB: {(after - before) * 1000.0 / options.GrowthRuns / 1024 / 1024:0.00} MiB " +
            $"per 1,000 runs ({(after - before) / (double)options.GrowthRuns:0} bytes per run); checkpoint rows left: {census.Checkpoints}");
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static string Synchronous(string value) => value switch
    {
        "0" => "OFF",
        "1" => "NORMAL",
        "2" => "FULL",
        "3" => "EXTRA",
        _ => value,
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F0(double value) => value.ToString("0", CultureInfo.InvariantCulture);
    private static string F1(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
    private static string F2(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    private static string F3(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class Table(params string[] headers)
    {
        private readonly List<string[]> _rows = [];

        public void Add(params string[] cells) => _rows.Add(cells);

        public void Print()
        {
            var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
            string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |";
            Console.WriteLine(Line(headers));
            Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
            foreach (var row in _rows)
            {
                Console.WriteLine(Line(row));
            }
        }
    }
}
