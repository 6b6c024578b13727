using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Playbooks.Drafts;
using Microsoft.AspNetCore.Components;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// The playbook-level fields: name, description, delegation, inputs, KPIs, webhook secret, memory scopes and, when the trigger is a
/// schedule, its cron and time zone with the next start times. Each change is one command on the draft.
/// </summary>
public sealed partial class PlaybookProperties
{
    private static readonly string[] InputTypes = ["string", "number", "boolean", "object"];

    [Inject]
    private ActivityCatalog Catalog { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Parameter, EditorRequired]
    public DraftState State { get; set; } = default!;

    [Parameter]
    public Guid PlaybookId { get; set; }

    [Parameter]
    public IReadOnlyList<PlaybookProblem> Problems { get; set; } = [];

    [Parameter]
    public EventCallback<DraftCommand> OnChange { get; set; }

    private DraftInfo Info => State.Info;

    private List<PlaybookProblem> PlaybookProblems => [.. Problems.Where(p => p.NodeId is null)];

    private string? TriggerKind => State.Nodes.FirstOrDefault(n => n.Kind.StartsWith("trigger.", StringComparison.Ordinal))?.Kind;

    private DraftNode? ScheduleTrigger => State.Nodes.FirstOrDefault(n => n.Kind == "trigger.schedule");

    private SettingField CronField => Catalog.Get("trigger.schedule").Descriptor.Settings.Single(s => s.Name == "cron");

    private SettingField ZoneField => Catalog.Get("trigger.schedule").Descriptor.Settings.Single(s => s.Name == "timeZone");

    private string DelegationHelp => Info.Delegation switch
    {
        DelegationLevel.Delegated => "Agents act alone within policy and budget.",
        DelegationLevel.Supervised => "Every step is shown to you before it runs.",
        _ => "Steps with external effects wait for your approval.",
    };

    private string? ErrorFor(string field) => ErrorForNode(null, field);

    private string? ErrorForNode(string? nodeId, string field) =>
        Problems.Where(p => p.NodeId == nodeId && p.Field == field).Select(p => p.Message).FirstOrDefault();

    /// <summary>The next three start times in the schedule's time zone, or none when the cron does not read.</summary>
    private List<string> NextRuns(DraftNode trigger)
    {
        var cron = trigger.Settings["cron"]?.ToString();
        if (cron is null || !SettingsValidator.TryFindTimeZone(trigger.Settings["timeZone"]?.ToString() ?? "UTC", out var zone)
            || !SettingsValidator.TryParseCron(cron, out var expression))
        {
            return [];
        }

        return [.. expression.GetOccurrences(Clock.GetUtcNow(), Clock.GetUtcNow().AddYears(1), zone).Take(3)
            .Select(o => TimeZoneInfo.ConvertTime(o, zone).ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))];
    }

    private Task NameChangedAsync(string? name) => InfoAsync(Info with { Name = name?.Trim() ?? string.Empty });

    private Task DescriptionChangedAsync(string? description) => InfoAsync(Info with { Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim() });

    private Task DelegationChangedAsync(DelegationLevel level) => InfoAsync(Info with { Delegation = level });

    private Task SecretChangedAsync(string? secret) => InfoAsync(Info with { WebhookSecret = string.IsNullOrWhiteSpace(secret) ? null : secret.Trim() });

    private const string ScopeHelp = "Scopes, families such as clients:*, or * for all; separated by commas. An empty list allows none.";

    // Limiting starts from the default scope, the one a memory.write without a scope uses.
    private Task MemoryLimitedAsync(bool limited) =>
        InfoAsync(Info with { Memory = limited ? new DraftMemory([Fact.DefaultScope], [Fact.DefaultScope]) : null });

    private Task MemoryChangedAsync(DraftMemory memory) => InfoAsync(Info with { Memory = memory });

    private static ImmutableList<string> Patterns(string? text) =>
        [.. (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private string? MemoryError(string list) => PlaybookProblems
        .Where(p => p.Field.StartsWith($"memory.{list}", StringComparison.Ordinal)).Select(p => p.Message).FirstOrDefault();

    private Task GenerateSecretAsync() => InfoAsync(Info with { WebhookSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)) });

    private Task AddInputAsync() =>
        InfoAsync(Info with { Inputs = Info.Inputs.Add(new PlaybookInput(FreeName("input", Info.Inputs.Select(i => i.Name)), "string", false)) });

    private Task InputChangedAsync(int index, PlaybookInput input) => InfoAsync(Info with { Inputs = Info.Inputs.SetItem(index, input) });

    private Task RemoveInputAsync(int index) => InfoAsync(Info with { Inputs = Info.Inputs.RemoveAt(index) });

    private Task AddKpiAsync() =>
        InfoAsync(Info with { Kpis = Info.Kpis.Add(new PlaybookKpi(FreeName("kpi", Info.Kpis.Select(k => k.Name)), "count")) });

    private Task KpiChangedAsync(int index, PlaybookKpi kpi) => InfoAsync(Info with { Kpis = Info.Kpis.SetItem(index, kpi) });

    private Task RemoveKpiAsync(int index) => InfoAsync(Info with { Kpis = Info.Kpis.RemoveAt(index) });

    private Task ScheduleChangedAsync(DraftNode trigger, string name, JsonNode? value)
    {
        var settings = (JsonObject)trigger.Settings.DeepClone();
        if (value is null)
        {
            settings.Remove(name);
        }
        else
        {
            settings[name] = value.DeepClone();
        }

        return OnChange.InvokeAsync(new UpdateNodeCommand(trigger.Id, trigger.Id, trigger.Label, settings, trigger.Retry, trigger.TimeoutMs));
    }

    private Task InfoAsync(DraftInfo info) => OnChange.InvokeAsync(new UpdateInfoCommand(info));

    private static string FreeName(string stem, IEnumerable<string> taken)
    {
        var names = taken.ToImmutableHashSet(StringComparer.Ordinal);
        return Enumerable.Range(1, 1000).Select(i => $"{stem}_{i}").First(n => !names.Contains(n));
    }
}
