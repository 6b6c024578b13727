using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

internal static class MemoryWrites
{
    /// <summary>
    /// Saves a change that added revision <paramref name="number"/> of an item. Two writers that read the same revision both
    /// try to store the next: the key (item, number) lets one win, and the other gets a <see cref="FactConflictException"/>.
    /// Any other failure is rethrown as it is.
    /// </summary>
    public static async Task SaveRevisionAsync(BlazorOsDbContext db, IDbContextFactory<BlazorOsDbContext> dbFactory, string what, Guid id,
        int number, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            await using var check = await dbFactory.CreateDbContextAsync(cancellationToken);
            var taken = what == "Fact"
                ? await check.FactRevisions.AnyAsync(r => r.FactId == id && r.Number == number, cancellationToken)
                : await check.MemoryRevisions.AnyAsync(r => r.ItemId == id && r.Number == number, cancellationToken);
            if (taken)
            {
                throw new FactConflictException($"{what} {id} was changed by someone else at the same time: read it again and retry.", ex);
            }

            throw;
        }
    }
}
