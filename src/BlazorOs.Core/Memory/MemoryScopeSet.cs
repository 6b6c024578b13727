namespace BlazorOs.Core.Memory;

/// <summary>
/// The scopes a playbook (and the agent steps in it) may read or write, as patterns: a scope name (<c>business</c>),
/// a family (<c>clients:*</c> is <c>clients</c> and every <c>clients:…</c>), or <c>*</c> for every scope.
/// <see cref="All"/> is what a playbook without a <c>memory</c> declaration gets, so older playbooks keep working.
/// </summary>
public sealed class MemoryScopeSet
{
    public const string Wildcard = "*";

    private MemoryScopeSet(IReadOnlyList<string> patterns) => Patterns = patterns;

    public static MemoryScopeSet All { get; } = new([Wildcard]);

    public static MemoryScopeSet None { get; } = new([]);

    public IReadOnlyList<string> Patterns { get; }

    public bool IsAll => Patterns.Contains(Wildcard);

    /// <summary>Exact scope names in the set.</summary>
    public IEnumerable<string> Names => Patterns.Where(p => !p.EndsWith(Wildcard, StringComparison.Ordinal));

    /// <summary>Family prefixes, each ending in its separator (<c>clients:</c> for <c>clients:*</c>).</summary>
    public IEnumerable<string> Prefixes => Patterns.Where(p => p.Length > 1 && p.EndsWith(Wildcard, StringComparison.Ordinal)).Select(p => p[..^1]);

    public static bool IsValidPattern(string? pattern) => pattern == Wildcard
        || MemoryScope.IsValid(pattern)
        || (pattern is { Length: > 2 } && pattern.EndsWith(":*", StringComparison.Ordinal) && MemoryScope.IsValid(pattern[..^2]));

    /// <summary>Throws <see cref="ArgumentException"/> for a pattern that is not a scope, a family or <c>*</c>.</summary>
    public static MemoryScopeSet Of(IEnumerable<string> patterns)
    {
        var list = patterns.Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var bad = list.FirstOrDefault(p => !IsValidPattern(p));
        return bad is null
            ? new MemoryScopeSet(list)
            : throw new ArgumentException($"'{bad}' is not a scope pattern: use a scope, a family such as clients:*, or *.", nameof(patterns));
    }

    public bool Allows(string scope) => IsAll
        || Names.Contains(scope, StringComparer.Ordinal)
        || Prefixes.Any(p => scope.StartsWith(p, StringComparison.Ordinal) || scope == p[..^1]);

    public override string ToString() => Patterns.Count == 0 ? "no scope" : string.Join(", ", Patterns);
}
