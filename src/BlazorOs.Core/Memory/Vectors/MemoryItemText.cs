using System.Security.Cryptography;
using System.Text;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>What is embedded for each kind of item: the words a reader would use to describe it.</summary>
internal static class MemoryItemText
{
    /// <summary>Long enough for a summary's gist, short enough for small models' context (longer text is cut).</summary>
    public const int MaxChars = 8000;

    public static string Of(Fact f) => Cut($"{f.Subject} {f.Predicate}: {f.ValueText} {f.Currency}".TrimEnd());

    public static string Of(Decision d) => Cut(string.Join('\n', new[]
    {
        d.Title,
        d.Rationale ?? string.Empty,
        d.Alternatives.Count > 0 ? "Alternatives: " + string.Join("; ", d.Alternatives) : string.Empty,
    }.Where(s => s.Length > 0)));

    public static string Of(MemoryRecord r) =>
        Cut($"{r.Title}\n{string.Join("; ", r.Values.Select(v => $"{v.Key}: {RecordType.TextOf(v.Value)}"))}");

    public static string Of(Summary s) => Cut($"{s.Title}\n{s.Text}");

    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Cut(string text) => text.Length <= MaxChars ? text : text[..MaxChars];
}
