using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Activities.Kinds;

internal sealed record MemoryReadSettings(string? Query = null, string Type = MemoryItemTypes.Fact, string? Scope = null,
    int Limit = MemoryReadActivity.DefaultLimit, string Tier = MemoryReadActivity.AllTiers);

/// <summary>
/// Recalls memory items by ranked full-text search (<see cref="MemorySearch"/>: best matches first; without a query the
/// newest), of one type or any, only from the scopes the playbook may read. A scope setting outside them fails the step.
/// The output is a list of <c>{ id, type, title, text, scope, ... }</c>; facts also carry subject, predicate, value and
/// confidence, as before. This run's working notes (<see cref="WorkingMemory"/>) that hold every word come first, as facts
/// with <c>tier: working</c> and no id or scope, unless the step asks for one tier or a scope.
/// </summary>
internal sealed class MemoryReadActivity(SettingsValidator validator, ITemplateRenderer templates) : IActivity
{
    public const string Kind = "memory.read";
    public const string AnyType = "any";
    public const int DefaultLimit = 20;
    public const string AllTiers = "all";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Recall",
        "Looks up facts, decisions, records or summaries in memory by words, e.g. everything known about {{ inputs.client }}.",
        ActivityCategory.Memory,
        "Icons.Material.Outlined.ManageSearch",
        ["next", "error"],
        [
            new SettingField("query", SettingType.Text, "Words to look for; the best matches come first. Empty lists the newest.", Template: true),
            new SettingField("type", SettingType.Choice, "What to recall.", Choices: [.. MemoryItemTypes.Items, AnyType], Default: MemoryItemTypes.Fact),
            new SettingField("scope", SettingType.Text, "Only this privacy scope, e.g. business or clients:acme; empty reads every scope the playbook may read."),
            new SettingField("limit", SettingType.Number, $"At most this many (1–{MemorySearch.MaxStepLimit}).", Default: "20"),
            new SettingField("tier", SettingType.Choice, "all: this run's working notes first, then memory; durable: memory only; working: this run's notes only.",
                Choices: [AllTiers, MemoryWriteActivity.Durable, MemoryWriteActivity.Working], Default: AllTiers),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        if (ActivitySettings.Number(settings["limit"]) is { } limit && (limit != Math.Floor(limit) || limit is < 1 or > MemorySearch.MaxStepLimit))
        {
            problems.Add(new SettingProblem("limit", $"Must be a whole number from 1 to {MemorySearch.MaxStepLimit}."));
        }

        if (ActivitySettings.Text(settings["scope"]) is { Length: > 0 } scope && !MemoryScope.IsValid(scope))
        {
            problems.Add(new SettingProblem("scope", $"Not a scope: use {MemoryScope.FormatDescription}."));
        }

        return problems;
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<MemoryReadSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
        }

        var scope = string.IsNullOrWhiteSpace(settings.Scope) ? null : settings.Scope.Trim();
        if (scope is not null && !context.Memory.Read.Allows(scope))
        {
            return new ActivityResult.Failed(MemoryAccess.Refused(context.NodeId, "read", scope, context.Memory.Read), Retryable: false);
        }

        string? query;
        try
        {
            query = settings.Query is null ? null : templates.Render(settings.Query, context.Scope);
        }
        catch (TemplateException ex)
        {
            return ActivitySettings.TemplateFailed("query", ex);
        }

        query = query is { Length: > MemorySearch.MaxQueryLength } ? query[..MemorySearch.MaxQueryLength] : query;
        var limit = Math.Clamp(settings.Limit, 1, MemorySearch.MaxStepLimit);
        IReadOnlyList<WorkingNote> notes = settings.Tier != MemoryWriteActivity.Durable && scope is null && settings.Type is MemoryItemTypes.Fact or AnyType
            ? await context.Services.GetRequiredService<WorkingMemory>().SearchAsync(context.RunId, query, limit, cancellationToken)
            : [];
        IReadOnlyList<MemoryHit> hits = [];
        if (settings.Tier != MemoryWriteActivity.Working && notes.Count < limit)
        {
            var request = new MemoryQuery(query, settings.Type == AnyType ? null : settings.Type, scope, limit - notes.Count)
            {
                Readable = context.Memory.Read,
            };
            try
            {
                hits = await context.Services.GetRequiredService<MemorySearch>().SearchAsync(request, MemorySearch.MaxStepLimit, cancellationToken);
            }
            catch (MemoryValidationException ex)
            {
                return new ActivityResult.Failed(ex.Message, Retryable: false);
            }
        }

        var output = new JsonArray([.. notes.Select(NoteOutput), .. hits.Select(Output)]);
        await context.Trace.WriteAsync("memory.read", $"Recalled {output.Count} item(s){(notes.Count > 0 ? $" ({notes.Count} from this run's notes)" : "")}{(string.IsNullOrWhiteSpace(query) ? "" : $" for '{ActivitySettings.Truncate(query, 200)}'")}",
            new JsonObject
            {
                ["query"] = query,
                ["type"] = settings.Type,
                ["scope"] = scope,
                ["readable"] = context.Memory.Read.ToString(),
                ["count"] = output.Count,
                ["notes"] = notes.Count,
                ["ids"] = new JsonArray([.. hits.Take(50).Select(h => JsonValue.Create(h.Id.ToString()))]),
            }, cancellationToken: cancellationToken);
        return ActivityResult.Next(output);
    }

    private static JsonNode NoteOutput(WorkingNote note) => new JsonObject
    {
        ["type"] = MemoryItemTypes.Fact,
        ["tier"] = MemoryWriteActivity.Working,
        ["title"] = note.Title,
        ["text"] = note.Value,
        ["subject"] = note.Subject,
        ["predicate"] = note.Predicate,
        ["value"] = note.Value,
        ["node"] = note.NodeId,
    };

    private static JsonNode Output(MemoryHit hit)
    {
        var item = new JsonObject
        {
            ["id"] = hit.Id.ToString(),
            ["type"] = hit.Type,
            ["title"] = hit.Title,
            ["text"] = hit.Text,
            ["scope"] = hit.Scope,
            ["score"] = hit.Score,
        };
        if (hit.Fact is { } fact)
        {
            item["subject"] = fact.Subject;
            item["predicate"] = fact.Predicate;
            item["value"] = fact.Value.ToString();
            item["confidence"] = fact.Confidence;
            item["needsReview"] = fact.NeedsReview;
        }

        if (hit.Record is { } record)
        {
            item["recordType"] = record.Type?.Name;
            item["values"] = record.Values;
        }

        return item;
    }
}
