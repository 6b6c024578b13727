using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Settings;

/// <summary>Reads and writes <see cref="Setting"/>s, one short-lived context per call.</summary>
public sealed class SettingsStore(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Settings.AsNoTracking()
            .Where(s => s.Key == key)
            .Select(s => s.Value)
            .SingleOrDefaultAsync(cancellationToken);
    }

    public async Task SetAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var setting = await db.Settings.SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (setting is null)
        {
            db.Settings.Add(new Setting(key, value, now));
        }
        else
        {
            setting.Change(value, now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets the value only when the key has none yet; returns whether it wrote.</summary>
    public async Task<bool> SetIfAbsentAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Settings.AnyAsync(s => s.Key == key, cancellationToken))
        {
            return false;
        }

        db.Settings.Add(new Setting(key, value, clock.GetUtcNow().UtcDateTime));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another request set it between our check and our insert (the key is unique): the first writer wins.
            return false;
        }
    }
}
