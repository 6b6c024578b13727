namespace BlazorOs.Core.Memory;

/// <summary>Trimming and length checks shared by the memory entities; the services report friendlier problems first.</summary>
internal static class MemoryText
{
    public static string Required(string? text, int maxLength, string name)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        return trimmed.Length > 0 && trimmed.Length <= maxLength
            ? trimmed
            : throw new ArgumentException($"{name} needs 1 to {maxLength} characters.", name);
    }

    public static string? Optional(string? text, int maxLength, string name)
    {
        var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        return trimmed is { Length: > 0 } && trimmed.Length > maxLength
            ? throw new ArgumentException($"{name} has at most {maxLength} characters.", name)
            : trimmed;
    }

    public static string Scope(string? scope) => MemoryScope.IsValid(scope)
        ? scope!
        : throw new ArgumentException($"'{scope}' is not a scope: use {MemoryScope.FormatDescription}.", nameof(scope));
}
