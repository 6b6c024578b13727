using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Activities.Kinds;

internal sealed record MemoryReadSettings(string? Query = null, string Type = "fact", string? Scope = null, int Limit = MemoryReadActivity.DefaultLimit);

/// <summary>
/// Recalls facts whose subject, predicate or value contains the query (newest first), limited to a scope. The output is
/// a list of <c>{ id, subject, predicate, value, scope, confidence }</c>.
/// </summary>
internal sealed class MemoryReadActivity(SettingsValidator validator, ITemplateRenderer templates) : IActivity
{
    public const string Kind = "memory.read";
    public const int DefaultLimit = 20;

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Recall",
        "Looks up facts in memory by text, e.g. everything known about {{ inputs.client }}.",
        ActivityCategory.Memory,
        "Icons.Material.Outlined.ManageSearch",
        ["next", "error"],
        [
            new SettingField("query", SettingType.Text, "Text to look for in subject, predicate or value; empty lists the newest.", Template: true),
            new SettingField("type", SettingType.Choice, "What to recall.", Choices: ["fact"], Default: "fact"),
            new SettingField("scope", SettingType.Text, "Only this privacy scope, e.g. business or clients; empty reads every scope."),
            new SettingField("limit", SettingType.Number, $"At most this many (1–{FactService.MaxResults}).", Default: "20"),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        if (ActivitySettings.Number(settings["limit"]) is { } limit && (limit != Math.Floor(limit) || limit is < 1 or > FactService.MaxResults))
        {
            problems.Add(new SettingProblem("limit", $"Must be a whole number from 1 to {FactService.MaxResults}."));
        }

        return problems;
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<MemoryReadSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
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

        var facts = await context.Services.GetRequiredService<FactService>()
            .ListAsync(query, settings.Scope, Math.Clamp(settings.Limit, 1, FactService.MaxResults), cancellationToken);
        var output = new JsonArray();
        foreach (var fact in facts)
        {
            output.Add(new JsonObject
            {
                ["id"] = fact.Id.ToString(),
                ["subject"] = fact.Subject,
                ["predicate"] = fact.Predicate,
                ["value"] = fact.Value.ToString(),
                ["scope"] = fact.Scope,
                ["confidence"] = fact.Confidence,
            });
        }

        await context.Trace.WriteAsync("memory.read", $"Recalled {facts.Count} fact(s){(string.IsNullOrWhiteSpace(query) ? "" : $" for '{ActivitySettings.Truncate(query, 200)}'")}",
            new JsonObject { ["query"] = query, ["scope"] = settings.Scope, ["count"] = facts.Count }, cancellationToken: cancellationToken);
        return ActivityResult.Next(output);
    }
}
