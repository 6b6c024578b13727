using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Drafts;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>One saved version in the version list, with what changed since the one before.</summary>
public sealed record VersionRow(int Number, DateTime CreatedAt, string Summary)
{
    /// <summary>The rows of a playbook's versions, newest first, each compared with its predecessor.</summary>
    public static List<VersionRow> Of(Playbook playbook)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        var rows = new List<VersionRow>();
        DraftState? previous = null;
        foreach (var version in playbook.Versions.OrderBy(v => v.Number))
        {
            DraftState current;
            try
            {
                current = DraftDocument.Read(version.Definition);
            }
            catch (FormatException)
            {
                rows.Add(new VersionRow(version.Number, version.CreatedAt, "Unreadable definition"));
                continue;
            }

            rows.Add(new VersionRow(version.Number, version.CreatedAt, VersionDiff.Between(previous, current).Summary));
            previous = current;
        }

        rows.Reverse();
        return rows;
    }
}
