using System.Globalization;
using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Settings;
using BlazorOs.Core.Traces;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Activities.Kinds;

internal sealed record MemoryWriteSettings(
    string Subject,
    string Predicate,
    string Value,
    string ValueType = "text",
    string Scope = Fact.DefaultScope,
    double Confidence = 1.0,
    string Tier = MemoryWriteActivity.Durable);

/// <summary>
/// Writes a fact with the run and node as its provenance, only into a scope the playbook may write (else the step fails).
/// A value that contradicts the fact already known for the subject and predicate in that scope becomes its next revision,
/// marked as a conflict with both sources, and is flagged for review when its confidence is below the review threshold
/// (<see cref="MemorySettings.ReviewBelowConfidenceKey"/>). Recorded in the effect ledger under the step's idempotency
/// key, so a step replayed after a restart does not write the fact twice.
/// With <c>tier: working</c> the fact is a note for this run's later steps only (<see cref="WorkingMemory"/>): no scope,
/// nothing durable, gone when the run ends.
/// </summary>
internal sealed class MemoryWriteActivity(SettingsValidator validator, ITemplateRenderer templates, TimeProvider clock) : IActivity
{
    public const string Kind = "memory.write";
    public const string Durable = "durable";
    public const string Working = "working";

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Remember",
        "Writes a fact to memory (subject, predicate, value), with this run as where it came from.",
        ActivityCategory.Memory,
        "Icons.Material.Outlined.EditNote",
        ["next", "error"],
        [
            new SettingField("subject", SettingType.Text, "Who or what the fact is about, e.g. {{ inputs.client }}.", Required: true, Template: true),
            new SettingField("predicate", SettingType.Text, "What is known, e.g. prefers-channel.", Required: true, Template: true),
            new SettingField("value", SettingType.MultilineText, "The value, e.g. {{ steps.classify.output }}.", Required: true, Template: true),
            new SettingField("valueType", SettingType.Choice, "How to read the value.", Choices: ["text", "number", "date", "reference"], Default: "text"),
            // Before the settings it makes meaningless, so the choice is read first.
            new SettingField("tier", SettingType.Choice,
                "durable: kept in memory with this run as its source; working: a note for this run's later steps, gone when it ends (no scope).",
                Choices: [Durable, Working], Default: Durable),
            new SettingField("scope", SettingType.Text, "Privacy scope, e.g. business, clients, personal.", Default: Fact.DefaultScope,
                IgnoredWhen: new SettingIgnored("tier", Working, "Not used by a working note: it stays in this run.")),
            new SettingField("confidence", SettingType.Number, "How sure, from 0 to 1.", Default: "1",
                IgnoredWhen: new SettingIgnored("tier", Working, "Not used by a working note.")),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        if (ActivitySettings.Number(settings["confidence"]) is < 0 or > 1)
        {
            problems.Add(new SettingProblem("confidence", "Must be from 0 to 1."));
        }

        if (ActivitySettings.Text(settings["scope"]) is { } scope && !MemoryScope.IsValid(scope.Trim()))
        {
            problems.Add(new SettingProblem("scope", $"Not a scope: use {MemoryScope.FormatDescription}."));
        }

        return problems;
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<MemoryWriteSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
        }

        var working = settings.Tier == Working;
        var scope = settings.Scope.Trim();
        if (working)
        {
            // A note never leaves its run, so the playbook's scopes do not apply to it.
        }
        else if (!MemoryScope.IsValid(scope))
        {
            return new ActivityResult.Failed($"'{ActivitySettings.Truncate(scope, 80)}' is not a scope: use {MemoryScope.FormatDescription}.", Retryable: false);
        }

        else if (!context.Memory.Write.Allows(scope))
        {
            return new ActivityResult.Failed(MemoryAccess.Refused(context.NodeId, "write", scope, context.Memory.Write), Retryable: false);
        }

        var ledger = context.Services.GetService<IEffectLedger>();
        var key = context.IdempotencyKey;
        if (ledger is not null && await ledger.GetAsync(key, cancellationToken) is { State: EffectState.Completed, ResultJson: { } recorded })
        {
            return ActivityResult.Next(JsonNode.Parse(recorded));
        }

        NewFact fact;
        try
        {
            var subject = templates.Render(settings.Subject, context.Scope).Trim();
            var predicate = templates.Render(settings.Predicate, context.Scope).Trim();
            var text = templates.Render(settings.Value, context.Scope).Trim();
            if (subject.Length is 0 or > Fact.SubjectMaxLength || predicate.Length is 0 or > Fact.SubjectMaxLength)
            {
                return new ActivityResult.Failed(
                    $"Subject and predicate need 1 to {Fact.SubjectMaxLength} characters (got '{ActivitySettings.Truncate(subject, 40)}', '{ActivitySettings.Truncate(predicate, 40)}').",
                    Retryable: false);
            }

            if (ValueOf(settings.ValueType, text) is not { } value)
            {
                return new ActivityResult.Failed($"'{ActivitySettings.Truncate(text, 80)}' is not a {settings.ValueType}.", Retryable: false);
            }

            fact = new NewFact(subject, predicate, value, scope, settings.Confidence);
        }
        catch (TemplateException ex)
        {
            return ActivitySettings.TemplateFailed("subject, predicate or value", ex);
        }

        if (working)
        {
            return await NoteAsync(context, fact, cancellationToken);
        }

        if (ledger is not null)
        {
            await ledger.BeginAsync(key, $"remember {fact.Subject} {fact.Predicate}", cancellationToken);
        }

        var playbook = context.Scope.Run["playbook"]?.ToString() ?? "playbook";
        var provenance = Provenance.Of(ProvenanceSource.Agent, ActivitySettings.Truncate($"playbook: {playbook}", 200),
            clock.GetUtcNow().UtcDateTime, context.RunId, context.NodeId, $"Written by the step '{context.NodeId}'");
        var reviewBelow = context.Services.GetService<SettingsStore>() is { } store
            ? await store.ReviewBelowConfidenceAsync(cancellationToken)
            : MemorySettings.DefaultReviewBelowConfidence;
        var remembered = await context.Services.GetRequiredService<FactService>().RememberAsync(fact, provenance, reviewBelow, cancellationToken);
        var stored = remembered.Fact;
        var output = new JsonObject
        {
            ["id"] = stored.Id.ToString(),
            ["subject"] = stored.Subject,
            ["predicate"] = stored.Predicate,
            ["value"] = stored.Value.ToString(),
            ["scope"] = stored.Scope,
            ["outcome"] = remembered.Outcome.ToString().ToLowerInvariant(),
            ["revision"] = stored.Revision,
            ["needsReview"] = stored.NeedsReview,
        };
        if (ledger is not null)
        {
            await ledger.CompleteAsync(key, output.ToJsonString(), cancellationToken);
        }

        var message = remembered.Outcome switch
        {
            RememberOutcome.Contradicted => $"Conflict: {stored.Subject} {stored.Predicate} is now {ActivitySettings.Truncate(stored.Value.ToString(), 200)} " +
                $"(revision {stored.Revision}){(stored.NeedsReview ? "; flagged for review (low confidence)" : "")}",
            RememberOutcome.Unchanged => $"Already known: {stored.Subject} {stored.Predicate} = {ActivitySettings.Truncate(stored.Value.ToString(), 200)}",
            _ => $"Remembered: {stored.Subject} {stored.Predicate} = {ActivitySettings.Truncate(stored.Value.ToString(), 200)}",
        };
        await context.Trace.WriteAsync("memory.write", message, output.DeepClone(),
            remembered.Outcome == RememberOutcome.Contradicted ? TraceLevel.Warning : TraceLevel.Info, cancellationToken);
        return ActivityResult.Next(output);
    }

    /// <summary>The trace event first (the durable copy a restarted process rebuilds from), then the in-process note.</summary>
    private async Task<ActivityResult> NoteAsync(ActivityContext context, NewFact fact, CancellationToken cancellationToken)
    {
        var note = new WorkingNote(fact.Subject, fact.Predicate, fact.Value.ToString(), context.NodeId, clock.GetUtcNow().UtcDateTime);
        var output = WorkingMemory.EventData(note);
        if (output.ToJsonString() is { Length: > TraceWriter.DataMaxLength } json)
        {
            // The trace would keep only a preview, and a restart could not rebuild the note from it.
            return new ActivityResult.Failed(
                $"A working note must fit in the run's trace ({TraceWriter.DataMaxLength:N0} characters as JSON); this one takes {json.Length:N0}. " +
                "Keep a shorter note, or remember it with tier durable.", Retryable: false);
        }

        await context.Trace.WriteAsync(WorkingMemory.TraceKind,
            $"Noted for this run: {note.Subject} {note.Predicate} = {ActivitySettings.Truncate(note.Value, 200)}", output.DeepClone(),
            cancellationToken: cancellationToken);
        await context.Services.GetRequiredService<WorkingMemory>().AddAsync(context.RunId, note, cancellationToken);
        return ActivityResult.Next(output);
    }

    private static FactValue? ValueOf(string type, string text) => type switch
    {
        "number" => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? FactValue.OfNumber(number)
            : null,
        "date" => DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var date) ? FactValue.OfDate(date) : null,
        "reference" => text.Length > 0 ? FactValue.OfReference(text) : null,
        _ => FactValue.OfText(text),
    };
}
