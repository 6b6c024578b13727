using System.Text.RegularExpressions;

namespace BlazorOs.Core.Memory;

/// <summary>
/// A privacy scope name: lower-case words joined by <c>-</c>, <c>_</c>, <c>.</c> or <c>:</c>, such as <c>business</c>,
/// <c>client-shareable</c> or <c>clients:acme</c>; at most <see cref="MaxLength"/> characters. Policies match scopes by
/// name, so one spelling per scope keeps "Clients" and "clients" from becoming two.
/// </summary>
public static partial class MemoryScope
{
    public const int MaxLength = 64;

    public const string FormatDescription =
        "lower-case letters and digits, words joined by '-', '_', '.' or ':' (e.g. business, client-shareable, clients:acme), at most 64 characters";

    public static bool IsValid(string? scope) => scope is { Length: > 0 and <= MaxLength } && Format().IsMatch(scope);

    [GeneratedRegex("^[a-z0-9]+(?:[-_.:][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Format();
}
