using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Playbooks.Drafts;
using Microsoft.AspNetCore.Components;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// The properties of the selected step: id, label, a form generated from its kind's settings schema, retry and timeout,
/// with the validator's messages under the fields they concern. Every change becomes one <see cref="UpdateNodeCommand"/>.
/// </summary>
public sealed partial class NodeProperties
{
    [Inject]
    private ActivityCatalog Catalog { get; set; } = default!;

    [Inject]
    private ITemplateRenderer Templates { get; set; } = default!;

    /// <summary>The selected step; null when none (or several) are selected.</summary>
    [Parameter]
    public DraftNode? Node { get; set; }

    [Parameter]
    public int SelectedCount { get; set; }

    [Parameter, EditorRequired]
    public DraftState State { get; set; } = default!;

    /// <summary>Every problem of the draft; this panel shows the selected step's.</summary>
    [Parameter]
    public IReadOnlyList<PlaybookProblem> Problems { get; set; } = [];

    [Parameter]
    public IReadOnlyList<(Guid Id, string Name)> Playbooks { get; set; } = [];

    [Parameter]
    public EventCallback<UpdateNodeCommand> OnChange { get; set; }

    private ActivityDescriptor? Descriptor => Node is not null && Catalog.TryGet(Node.Kind, out var activity) ? activity.Descriptor : null;

    private string Color => Descriptor is { } d ? ActivityAppearance.ColorOf(d.Category) : "#757575";

    private bool Runs => Descriptor?.Category is not (ActivityCategory.Trigger or ActivityCategory.End);

    private TemplateHints? Hints => Node is null ? null : new TemplateHints(Templates, State, Node.Id);

    private IEnumerable<PlaybookProblem> NodeProblems => Problems.Where(p => p.NodeId == Node?.Id);

    /// <summary>Problems that belong to no field shown here (edges, kind), listed on top.</summary>
    private List<PlaybookProblem> OtherProblems =>
        [.. NodeProblems.Where(p => !(p.Field is "id" or "label" or "timeoutMs" || p.Field.StartsWith("settings.", StringComparison.Ordinal)
            || p.Field.StartsWith("retry.", StringComparison.Ordinal)) || (p.Field.StartsWith("settings.", StringComparison.Ordinal) && !IsShownSetting(p.Field)))];

    private bool IsShownSetting(string field) => Descriptor?.Settings.Any(s => $"settings.{s.Name}" == field) == true;

    private string? ErrorFor(string field) =>
        NodeProblems.Where(p => p.Field == field).Select(p => p.Message).ToList() is { Count: > 0 } messages ? string.Join(" ", messages) : null;

    private Task IdChangedAsync(string? id) =>
        string.IsNullOrWhiteSpace(id) ? Task.CompletedTask : ChangeAsync(Node!.Id, id.Trim(), Node.Label, Node.Settings, Node.Retry, Node.TimeoutMs);

    private Task LabelChangedAsync(string? label) => ChangeAsync(Node!.Id, Node.Id, label, Node.Settings, Node.Retry, Node.TimeoutMs);

    /// <summary>Why the step ignores <paramref name="field"/> with its current settings (e.g. a working note's scope), or null.</summary>
    private string? IgnoredBecause(SettingField field) =>
        field.IgnoredWhen is { } when && Node!.Settings[when.Setting] is JsonValue value && value.TryGetValue<string>(out var chosen)
            && chosen == when.Value
            ? when.Reason
            : null;

    private Task SettingChangedAsync(SettingField field, JsonNode? value)
    {
        var settings = (JsonObject)Node!.Settings.DeepClone();
        if (value is null)
        {
            settings.Remove(field.Name);
        }
        else
        {
            settings[field.Name] = value.DeepClone();
        }

        return ChangeAsync(Node.Id, Node.Id, Node.Label, settings, Node.Retry, Node.TimeoutMs);
    }

    private Task AttemptsChangedAsync(int? attempts) =>
        ChangeAsync(Node!.Id, Node.Id, Node.Label, Node.Settings,
            attempts is > 1 ? (Node.Retry ?? new RetryPolicy(1, "exponential", 500)) with { MaxAttempts = attempts.Value } : null, Node.TimeoutMs);

    private Task BackoffChangedAsync(string backoff) =>
        Node!.Retry is { } retry ? ChangeAsync(Node.Id, Node.Id, Node.Label, Node.Settings, retry with { Backoff = backoff }, Node.TimeoutMs) : Task.CompletedTask;

    private Task DelayChangedAsync(int? delay) =>
        Node!.Retry is { } retry ? ChangeAsync(Node.Id, Node.Id, Node.Label, Node.Settings, retry with { InitialDelayMs = delay ?? 0 }, Node.TimeoutMs) : Task.CompletedTask;

    private Task TimeoutChangedAsync(int? timeout) => ChangeAsync(Node!.Id, Node.Id, Node.Label, Node.Settings, Node.Retry, timeout);

    private Task ChangeAsync(string id, string newId, string? label, JsonObject settings, RetryPolicy? retry, int? timeout) =>
        OnChange.InvokeAsync(new UpdateNodeCommand(id, newId, label, settings, retry, timeout));
}
