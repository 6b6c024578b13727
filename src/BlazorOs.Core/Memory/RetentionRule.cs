namespace BlazorOs.Core.Memory;

public enum RetentionMode
{
    /// <summary>Never delete: a rule that shields a scope from broader rules.</summary>
    KeepForever = 0,

    /// <summary>Delete what was last changed more than <see cref="RetentionRule.Amount"/> days ago.</summary>
    KeepDays = 1,

    /// <summary>Keep the <see cref="RetentionRule.Amount"/> most recently changed items, delete the rest.</summary>
    KeepLatest = 2,
}

public enum RetentionAction
{
    Delete = 0,

    /// <summary>Condense into <see cref="Summary"/> items first, then delete (trace events: one summary per run).</summary>
    Condense = 1,
}

/// <summary>
/// How long items of one type (and optionally one scope) are kept. <see cref="Scope"/> null means every scope; a rule for
/// a scope wins over the scope-less rule of its type, so <c>fact</c> keep 30 days with <c>fact/legal</c> keep forever
/// spares the legal facts. Trace rules have no scope (runs have none) and apply to runs that ended.
/// </summary>
public sealed class RetentionRule
{
    private RetentionRule(Guid id, string itemType, DateTime createdAt)
    {
        Id = id;
        ItemType = itemType;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>One of <see cref="MemoryItemTypes.Retainable"/>.</summary>
    public string ItemType { get; private set; }

    public string? Scope { get; private set; }
    public RetentionMode Mode { get; private set; }

    /// <summary>Days for <see cref="RetentionMode.KeepDays"/>, a count for <see cref="RetentionMode.KeepLatest"/>; null otherwise.</summary>
    public int? Amount { get; private set; }

    public RetentionAction Action { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>Throws <see cref="MemoryValidationException"/> naming each bad field.</summary>
    public static RetentionRule Create(RetentionRuleInput input, DateTime at)
    {
        var rule = new RetentionRule(Guid.CreateVersion7(), input.ItemType, at);
        rule.Set(input, at);
        return rule;
    }

    public void Change(RetentionRuleInput input, DateTime at)
    {
        if (input.ItemType != ItemType)
        {
            throw new MemoryValidationException([new MemoryProblem("itemType", "A rule's type cannot change: make a new rule.")]);
        }

        Set(input, at);
    }

    private void Set(RetentionRuleInput input, DateTime at)
    {
        var problems = Check(input);
        if (problems.Count > 0)
        {
            throw new MemoryValidationException(problems);
        }

        Scope = string.IsNullOrEmpty(input.Scope) ? null : input.Scope;
        Mode = input.Mode;
        Amount = input.Mode == RetentionMode.KeepForever ? null : input.Amount;
        Action = input.Action;
        UpdatedAt = at;
    }

    internal static List<MemoryProblem> Check(RetentionRuleInput input)
    {
        var problems = new List<MemoryProblem>();
        if (!MemoryItemTypes.Retainable.Contains(input.ItemType))
        {
            problems.Add(new MemoryProblem("itemType", $"Use one of: {string.Join(", ", MemoryItemTypes.Retainable)}."));
        }

        if (!string.IsNullOrEmpty(input.Scope) && (input.ItemType == MemoryItemTypes.Trace || !MemoryScope.IsValid(input.Scope)))
        {
            problems.Add(new MemoryProblem("scope", input.ItemType == MemoryItemTypes.Trace
                ? "Trace events have no scope: leave it empty."
                : $"'{input.Scope}' is not a scope: use {MemoryScope.FormatDescription}."));
        }

        if (!Enum.IsDefined(input.Mode))
        {
            problems.Add(new MemoryProblem("mode", "Use keepForever, keepDays or keepLatest."));
        }
        else if (input.Mode != RetentionMode.KeepForever && input.Amount is not (>= 1 and <= 1_000_000))
        {
            problems.Add(new MemoryProblem("amount", input.Mode == RetentionMode.KeepDays
                ? "Keep how many days: 1 to 1,000,000."
                : "Keep how many items: 1 to 1,000,000."));
        }

        if (input.Action == RetentionAction.Condense && input.ItemType != MemoryItemTypes.Trace)
        {
            problems.Add(new MemoryProblem("action", "Only trace events are condensed; other items are deleted."));
        }

        return problems;
    }
}

/// <summary>A retention rule as the operator sends it.</summary>
public sealed record RetentionRuleInput(string ItemType, string? Scope, RetentionMode Mode, int? Amount = null,
    RetentionAction Action = RetentionAction.Delete);

/// <summary>What one application of one rule did, kept so the operator can see what retention removed and when.</summary>
public sealed class RetentionLogEntry
{
    public const int DetailMaxLength = 2000;

    private RetentionLogEntry(DateTime at, string itemType, string detail)
    {
        At = at;
        ItemType = itemType;
        Detail = detail;
    }

    public long Id { get; private set; }
    public DateTime At { get; private set; }

    /// <summary>The rule applied; null once the rule is deleted (the entry stays).</summary>
    public Guid? RuleId { get; private set; }

    public string ItemType { get; private set; }
    public string? Scope { get; private set; }
    public RetentionAction Action { get; private set; }
    public int Deleted { get; private set; }

    /// <summary>Summaries made before deleting (condensing rules).</summary>
    public int Summaries { get; private set; }

    public long DurationMs { get; private set; }
    public string Detail { get; private set; }

    internal static RetentionLogEntry Of(RetentionRule rule, DateTime at, int deleted, int summaries, long durationMs, string detail) =>
        new(at, rule.ItemType, detail.Length <= DetailMaxLength ? detail : detail[..DetailMaxLength])
        {
            RuleId = rule.Id,
            Scope = rule.Scope,
            Action = rule.Action,
            Deleted = deleted,
            Summaries = summaries,
            DurationMs = durationMs,
        };
}
