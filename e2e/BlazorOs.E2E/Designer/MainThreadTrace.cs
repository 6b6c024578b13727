using System.Globalization;
using System.Text.Json;

namespace BlazorOs.E2E.Designer;

/// <summary>
/// The page's main-thread tasks from a Chromium performance trace (the one DevTools records), with wall time and thread
/// CPU time each. On a machine shared with other builds a task's wall time grows with the wait for a core; its CPU time
/// is the work the page did, so figures from different runs stay comparable.
/// </summary>
internal sealed record MainThreadTrace(IReadOnlyList<(double WallMs, double CpuMs)> Tasks)
{
    private const double LongTaskMs = 50;

    public double CpuMs => Tasks.Sum(t => t.CpuMs);

    public double LongestCpuMs => Tasks.Count == 0 ? 0 : Tasks.Max(t => t.CpuMs);

    public double LongestWallMs => Tasks.Count == 0 ? 0 : Tasks.Max(t => t.WallMs);

    /// <summary>Tasks that would be long (over 50 ms) on an idle core: their CPU time alone is over 50 ms.</summary>
    public int LongByCpu => Tasks.Count(t => t.CpuMs > LongTaskMs);

    public int LongByWall => Tasks.Count(t => t.WallMs > LongTaskMs);

    /// <summary>Records <paramref name="action"/> in a trace of <paramref name="page"/> (CDP Tracing domain).</summary>
    public static async Task<MainThreadTrace> RecordAsync(IPage page, Func<Task> action)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var events = new List<JsonElement>();
        var complete = new TaskCompletionSource();
        cdp.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            lock (events)
            {
                events.AddRange(data!.Value.GetProperty("value").EnumerateArray().Select(e => e.Clone()));
            }
        };
        cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await cdp.SendAsync("Tracing.start", new()
        {
            ["categories"] = "toplevel,devtools.timeline,disabled-by-default-devtools.timeline",
            ["transferMode"] = "ReportEvents",
        });
        try
        {
            await action();
        }
        finally
        {
            await cdp.SendAsync("Tracing.end");
            await complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await cdp.DetachAsync();
        }

        lock (events)
        {
            return Parse(events);
        }
    }

    /// <summary>The top-level tasks (RunTask) of every renderer main thread among trace events.</summary>
    public static MainThreadTrace Parse(IReadOnlyList<JsonElement> events)
    {
        var mainThreads = new HashSet<(long, long)>();
        foreach (var e in events)
        {
            if (e.GetProperty("name").GetString() == "thread_name"
                && e.TryGetProperty("args", out var args) && args.TryGetProperty("name", out var name)
                && name.GetString() == "CrRendererMain")
            {
                mainThreads.Add((e.GetProperty("pid").GetInt64(), e.GetProperty("tid").GetInt64()));
            }
        }

        // Chromium nests a RunTask inside a ThreadControllerImpl::RunTask: count only tasks that no other task contains.
        var runs = new List<(long Thread, double Start, double Wall, double Cpu)>();
        foreach (var e in events)
        {
            if (e.GetProperty("name").GetString() is "RunTask" or "ThreadControllerImpl::RunTask"
                && e.TryGetProperty("ph", out var phase) && phase.GetString() == "X"
                && e.TryGetProperty("dur", out var dur) && e.TryGetProperty("tdur", out var tdur)
                && mainThreads.Contains((e.GetProperty("pid").GetInt64(), e.GetProperty("tid").GetInt64())))
            {
                runs.Add((e.GetProperty("tid").GetInt64(), e.GetProperty("ts").GetDouble(), dur.GetDouble(), tdur.GetDouble()));
            }
        }

        var tasks = new List<(double, double)>();
        foreach (var thread in runs.GroupBy(r => r.Thread))
        {
            var end = double.MinValue;
            foreach (var run in thread.OrderBy(r => r.Start).ThenByDescending(r => r.Wall))
            {
                if (run.Start + run.Wall <= end)
                {
                    continue;
                }

                end = run.Start + run.Wall;
                tasks.Add((run.Wall / 1000, run.Cpu / 1000));
            }
        }

        return new MainThreadTrace(tasks);
    }

    public override string ToString()
    {
        var longOnes = string.Join(", ", Tasks.Where(t => t.CpuMs > LongTaskMs).Select(t => t.CpuMs.ToString("0", CultureInfo.InvariantCulture)));
        return string.Create(CultureInfo.InvariantCulture,
            $"main thread CPU {CpuMs:0} ms in {Tasks.Count} tasks, longest task {LongestCpuMs:0} ms CPU ({LongestWallMs:0} ms wall), " +
            $"tasks over 50 ms: {LongByCpu} by CPU{(LongByCpu > 0 ? $" ({longOnes} ms)" : "")}, {LongByWall} by wall");
    }
}
