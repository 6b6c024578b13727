using System.Text.RegularExpressions;

namespace BlazorOs.Web.Components.Memory;

internal enum DiffKind
{
    Same,
    Removed,
    Added,
}

internal sealed record DiffPart(string Text, DiffKind Kind);

/// <summary>
/// Word-level difference between two values (longest common subsequence over words and the spaces between them), so a
/// one-word edit in a long note reads as that word struck out and its replacement. Long values fall back to "all of the
/// old removed, all of the new added": the table would be too big to be worth it.
/// </summary>
internal static partial class WordDiff
{
    private const int MaxCells = 250_000;

    public static IReadOnlyList<DiffPart> Between(string? old, string @new)
    {
        if (old is null)
        {
            return [new DiffPart(@new, DiffKind.Added)];
        }

        var a = Tokens(old);
        var b = Tokens(@new);
        if ((long)a.Count * b.Count > MaxCells)
        {
            return [new DiffPart(old, DiffKind.Removed), new DiffPart(@new, DiffKind.Added)];
        }

        // lengths[i, j]: the longest common subsequence of a[i..] and b[j..].
        var lengths = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var parts = new List<DiffPart>();
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                Append(parts, a[x++], DiffKind.Same);
                y++;
            }
            else if (x < a.Count && (y == b.Count || lengths[x + 1, y] >= lengths[x, y + 1]))
            {
                // Removals first: a replaced word reads "old new", as people strike out and write after.
                Append(parts, a[x++], DiffKind.Removed);
            }
            else
            {
                Append(parts, b[y++], DiffKind.Added);
            }
        }

        return parts;
    }

    private static void Append(List<DiffPart> parts, string text, DiffKind kind)
    {
        if (parts.Count > 0 && parts[^1].Kind == kind)
        {
            parts[^1] = parts[^1] with { Text = parts[^1].Text + text };
        }
        else
        {
            parts.Add(new DiffPart(text, kind));
        }
    }

    private static List<string> Tokens(string text) => Token().Matches(text).Select(m => m.Value).ToList();

    [GeneratedRegex(@"\s+|[^\s]+", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
