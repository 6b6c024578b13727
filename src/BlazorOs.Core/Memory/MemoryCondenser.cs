using System.Globalization;
using System.Text;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>
/// Condenses an ended run's trace (steps, agent chatter, approvals, memory writes) into one <see cref="Summary"/> that keeps
/// the decisions with their rationales and the outcome, so retention can then delete the events. With a model configured
/// the task model writes it through <see cref="IAgentInvoker"/> (model and cost recorded on the summary); without one, or
/// when the model fails, an extractive summary picks the decisive lines as they are and says so
/// (<see cref="SummaryMethod.Extractive"/>). One summary per run: condensing a run again returns the one it has.
/// </summary>
public sealed class MemoryCondenser(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock, IAgentInvoker? invoker = null)
{
    public const string Actor = "memory condensation";
    public const string NodeId = "memory.condense";

    /// <summary>How much trace text goes to the model; the rest is left out, newest events last.</summary>
    public const int MaxPromptChars = 24_000;

    private const int MaxExtractLines = 40;

    private static readonly string[] DecisiveKinds =
        ["approval.answered", "run.completed", "run.failed", "run.cancelled", "memory.write", "agent.reply", "condition.evaluated", "step.failed"];

    internal const string SystemPrompt =
        "You condense the trace of one run of an automated business process into a short summary for the business memory. " +
        "Keep every decision with its rationale (who decided, what, why), what was written to memory, and the outcome. " +
        "Leave out routine steps. Plain text, at most 12 sentences.";

    /// <summary>Ended runs older than <paramref name="endedBefore"/> whose trace has no summary yet, oldest first; returns how many were condensed.</summary>
    public async Task<int> CondenseDueAsync(DateTime endedBefore, int max, CancellationToken cancellationToken = default)
    {
        List<Guid> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await EndedRuns(db).Where(r => r.EndedAt < endedBefore
                    && db.TraceEvents.Any(e => e.RunId == r.Id) && !db.Summaries.Any(s => s.RunId == r.Id))
                .OrderBy(r => r.EndedAt).Select(r => r.Id).Take(max).ToListAsync(cancellationToken);
        }

        foreach (var runId in due)
        {
            await CondenseRunAsync(runId, cancellationToken);
        }

        return due.Count;
    }

    /// <summary>The run's summary, made now if it has none; null when the run does not exist or has no trace left.</summary>
    public async Task<Summary?> CondenseRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Summaries.AsNoTracking().Include(s => s.Provenance).FirstOrDefaultAsync(s => s.RunId == runId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var events = await db.TraceEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        if (run is null || events.Count == 0)
        {
            return null;
        }

        var playbook = await db.Playbooks.AsNoTracking().Where(p => p.Id == run.PlaybookId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken)
            ?? "a deleted playbook";
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.RunId == runId).OrderBy(d => d.CreatedAt).ToListAsync(cancellationToken);
        var title = $"Run of {playbook} ({run.Status.ToString().ToLowerInvariant()}{(run.Outcome is null ? "" : $": {run.Outcome}")}) " +
            $"on {run.StartedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var now = clock.GetUtcNow().UtcDateTime;
        var (from, to) = (events[0].At, events[^1].At);

        if (invoker is { IsAvailable: true })
        {
            try
            {
                var reply = await invoker.InvokeAsync(new AgentRequest(runId, NodeId, Prompt(title, events, decisions), SystemPrompt, ModelTier.Task,
                    [], [], null), cancellationToken);
                if (!string.IsNullOrWhiteSpace(reply.Text))
                {
                    var byModel = Provenance.Of(ProvenanceSource.System, Actor, now, detail: $"Written by the task model {reply.Model}");
                    return await SaveAsync(db, Summary.Create(title, reply.Text, from, to, MemoryItemTypes.Trace, events.Count, SummaryMethod.Model,
                        Fact.DefaultScope, byModel, runId, reply.Model, reply.CostMicros, reply.Currency), cancellationToken);
                }
            }
            catch (AgentException ex)
            {
                // The events are not deleted without a summary: fall back to extracting one, and say why.
                return await SaveAsync(db, Extractive(title, run, events, decisions, from, to, now, $"the model failed: {ex.Message}"), cancellationToken);
            }
        }

        return await SaveAsync(db, Extractive(title, run, events, decisions, from, to, now, "no model is configured"), cancellationToken);
    }

    private static IQueryable<Run> EndedRuns(BlazorOsDbContext db) => db.Runs.Where(r => r.EndedAt != null
        && (r.Status == RunStatus.Completed || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled));

    private static async Task<Summary> SaveAsync(BlazorOsDbContext db, Summary summary, CancellationToken cancellationToken)
    {
        db.Provenance.Add(summary.Provenance!);
        db.Summaries.Add(summary);
        await db.SaveChangesAsync(cancellationToken);
        return summary;
    }

    private static Summary Extractive(string title, Run run, List<TraceEvent> events, List<Decision> decisions, DateTime from, DateTime to,
        DateTime now, string why)
    {
        var text = new StringBuilder($"Extractive summary ({why}): the decisive trace lines as they were written.\n");
        foreach (var decision in decisions)
        {
            text.Append(CultureInfo.InvariantCulture, $"Decision: {decision.Title}{(decision.Rationale is null ? "" : $" — because {decision.Rationale}")}\n");
        }

        foreach (var e in events.Where(e => DecisiveKinds.Contains(e.Kind) || e.Level != TraceLevel.Info).TakeLast(MaxExtractLines))
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.At:yyyy-MM-dd HH:mm} {e.NodeId ?? "run"} {e.Kind}: {e.Message}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Outcome: {run.Status.ToString().ToLowerInvariant()}{(run.Outcome is null ? "" : $", {run.Outcome}")}" +
            $"{(run.Error is null ? "" : $"; error: {run.Error}")}. {events.Count} trace events condensed.");
        var provenance = Provenance.Of(ProvenanceSource.System, Actor, now, detail: $"Extractive: {why}");
        return Summary.Create(title, text.ToString(), from, to, MemoryItemTypes.Trace, events.Count, SummaryMethod.Extractive, Fact.DefaultScope,
            provenance, run.Id);
    }

    private static string Prompt(string title, List<TraceEvent> events, List<Decision> decisions)
    {
        var text = new StringBuilder($"{title}\n");
        foreach (var decision in decisions)
        {
            text.Append(CultureInfo.InvariantCulture, $"Recorded decision: {decision.Title}. Rationale: {decision.Rationale ?? "none given"}\n");
        }

        text.Append("Trace, oldest first:\n");
        var lines = events.Select(e => $"{e.At:HH:mm:ss} {e.NodeId ?? "run"} {e.Kind}: {e.Message}").ToList();
        // Keep the end (outcome) when the trace is long: drop from the middle.
        var budget = MaxPromptChars - text.Length;
        var kept = new List<string>();
        foreach (var line in lines.AsEnumerable().Reverse())
        {
            if ((budget -= line.Length + 1) < 0)
            {
                kept.Add($"… {lines.Count - kept.Count} earlier events left out …");
                break;
            }

            kept.Add(line);
        }

        kept.Reverse();
        return text.AppendJoin('\n', kept).ToString();
    }
}
