using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

internal static class MemoryWrites
{
    /// <summary>
    /// Saves a change that added a revision. Two writers that read the same revision both try to store the next: the key
    /// (item, number) lets one win, and the other gets a <see cref="FactConflictException"/>.
    /// </summary>
    public static async Task SaveRevisionAsync(BlazorOsDbContext db, string what, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            throw new FactConflictException($"{what} {id} was changed by someone else at the same time: read it again and retry.", ex);
        }
    }
}
