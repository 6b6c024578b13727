using System.Globalization;
using BlazorOs.Core.Execution;

namespace BlazorOs.Web.Components.Runs;

/// <summary>
/// The Runs page's filters as they stand in its query string (<c>/runs?status=Failed&amp;since=24h</c>), so a filtered list
/// is a link: the dashboard's cards and a bookmark open the same view.
/// </summary>
public sealed record RunFilter(Guid? PlaybookId, IReadOnlySet<RunStatus> Statuses, Guid? GoalId, string? Since)
{
    /// <summary>The time ranges offered, by their query value: the last hours or days, or the calendar day or month (UTC).</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Ranges =
    [
        ("1h", "Last hour"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"),
        ("today", "Today"), ("month", "This month"),
    ];

    /// <summary>Reads the query values; what does not parse is ignored rather than refused, as a hand-edited link may hold anything.</summary>
    public static RunFilter Parse(string? playbook, string? status, string? goal, string? since) => new(
        Guid.TryParse(playbook, out var playbookId) ? playbookId : null,
        (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Enum.TryParse<RunStatus>(s, ignoreCase: true, out var parsed) ? parsed : (RunStatus?)null)
            .OfType<RunStatus>().ToHashSet(),
        Guid.TryParse(goal, out var goalId) ? goalId : null,
        Ranges.Any(r => r.Value == since) ? since : null);

    /// <summary>The status query value: names joined by commas, in enum order so equal filters give equal links.</summary>
    public string? StatusQuery => Statuses.Count == 0 ? null : string.Join(',', Statuses.Order());

    /// <summary>The earliest start time <see cref="Since"/> allows, or null for all time.</summary>
    public DateTime? StartedAfter(DateTime now) => Since switch
    {
        "1h" => now.AddHours(-1),
        "24h" => now.AddDays(-1),
        "7d" => now.AddDays(-7),
        "30d" => now.AddDays(-30),
        "today" => now.Date,
        "month" => new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        _ => null,
    };

    public bool IsEmpty => PlaybookId is null && Statuses.Count == 0 && GoalId is null && Since is null;

    /// <summary>A link to the Runs page with these filters.</summary>
    public string Link()
    {
        var query = new List<string>();
        Add("playbook", PlaybookId?.ToString());
        Add("status", StatusQuery);
        Add("goal", GoalId?.ToString());
        Add("since", Since);
        return query.Count == 0 ? "/runs" : "/runs?" + string.Join('&', query);

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add(string.Create(CultureInfo.InvariantCulture, $"{name}={Uri.EscapeDataString(value)}"));
            }
        }
    }

    public IQueryable<Run> Apply(IQueryable<Run> runs, DateTime now)
    {
        if (PlaybookId is { } playbook)
        {
            runs = runs.Where(r => r.PlaybookId == playbook);
        }

        if (Statuses.Count > 0)
        {
            var statuses = Statuses.ToList();
            runs = runs.Where(r => statuses.Contains(r.Status));
        }

        if (GoalId is { } goal)
        {
            runs = runs.Where(r => r.GoalId == goal);
        }

        if (StartedAfter(now) is { } after)
        {
            runs = runs.Where(r => r.StartedAt >= after);
        }

        return runs;
    }
}
