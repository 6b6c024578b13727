using System.Text.Json;
using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities.Kinds;

/// <param name="Kpi">What this ending adds to the playbook's KPIs, by KPI name.</param>
internal sealed record EndSettings(string? Outcome = null, JsonObject? Kpi = null);

/// <summary>Completes the run with an outcome (e.g. <c>sent</c>, <c>dropped</c>) and its KPI contributions.</summary>
internal sealed class EndActivity(SettingsValidator validator) : IActivity
{
    public const string Kind = "end";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "End",
        "Completes the run with an outcome and what it adds to the playbook's KPIs.",
        ActivityCategory.End,
        "Icons.Material.Outlined.Flag",
        [],
        [
            new SettingField("outcome", SettingType.Text, "A short word for how the run ended, e.g. sent or dropped."),
            new SettingField("kpi", SettingType.KeyValues, "Numbers to add to the playbook's KPIs, e.g. { \"followups_sent\": 1 }."),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public bool IsInstant => true;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        if (settings["kpi"] is JsonObject kpis)
        {
            foreach (var (name, value) in kpis)
            {
                if (value?.GetValueKind() != JsonValueKind.Number)
                {
                    problems.Add(new SettingProblem("kpi", $"The contribution to '{name}' must be a number."));
                }
            }
        }

        if (ActivitySettings.Text(settings["outcome"]) is { Length: > 200 })
        {
            problems.Add(new SettingProblem("outcome", "An outcome is at most 200 characters."));
        }

        return problems;
    }

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<EndSettings>(context, out var settings) is { } invalid)
        {
            return ValueTask.FromResult<ActivityResult>(invalid);
        }

        var kpis = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in settings.Kpi ?? [])
        {
            if (ActivitySettings.Number(value) is { } amount)
            {
                kpis[name] = amount;
            }
        }

        return ValueTask.FromResult<ActivityResult>(new ActivityResult.Ended(
            string.IsNullOrWhiteSpace(settings.Outcome) ? null : settings.Outcome.Trim(), kpis));
    }
}
