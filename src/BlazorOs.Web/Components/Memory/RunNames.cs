using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Components.Memory;

/// <summary>How provenance names the runs that wrote memory: "run of {playbook} v{n} ({status})", by run id.</summary>
internal static class RunNames
{
    public static async Task<Dictionary<Guid, string>> OfAsync(IDbContextFactory<BlazorOsDbContext> dbFactory, IEnumerable<Guid?> runIds)
    {
        var ids = runIds.OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var runs = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Join(db.Playbooks, r => r.PlaybookId, p => p.Id, (r, p) => new { r.Id, p.Name, r.VersionNumber, r.Status })
            .ToListAsync();
        return runs.ToDictionary(r => r.Id, r => $"run of {r.Name} v{r.VersionNumber} ({r.Status})");
    }
}
