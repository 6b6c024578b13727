using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Data;

/// <summary>Size of the store as the operator sees it on disk.</summary>
public sealed record StorageInfo(string Location, long DatabaseBytes, long WalBytes, long FreePages, long PageSize);

/// <summary>The result of <c>PRAGMA wal_checkpoint</c>: frames in the WAL and frames copied back into the database.</summary>
public sealed record CheckpointResult(bool Busy, long WalFrames, long CheckpointedFrames);

/// <summary>
/// Keeps an SQLite store small: WAL checkpoints (a WAL left alone grows without bound while readers
/// are active) and VACUUM. On PostgreSQL these are the server's job and do nothing here.
/// </summary>
public sealed class DatabaseMaintenance(IDbContextFactory<BlazorOsDbContext> dbFactory, DatabaseSettings settings)
{
    /// <summary>Copies the WAL into the database and truncates it to zero bytes when no reader holds it.</summary>
    public async Task<CheckpointResult?> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        if (!settings.IsSqlite)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new CheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>
    /// Rewrites the database file without free pages. Needs free disk space of about the database's size and
    /// blocks writers while it runs, so the UI asks first; the WAL is truncated before and after.
    /// </summary>
    public async Task VacuumAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await CheckpointAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("VACUUM;", cancellationToken);
        await CheckpointAsync(cancellationToken);
    }

    public async Task<StorageInfo> GetStorageInfoAsync(CancellationToken cancellationToken = default)
    {
        if (settings.SqliteFilePath is not { } file)
        {
            return new StorageInfo(settings.Describe(), -1, -1, -1, -1);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pageSize = await ScalarAsync(db, "PRAGMA page_size;", cancellationToken);
        var freePages = await ScalarAsync(db, "PRAGMA freelist_count;", cancellationToken);
        return new StorageInfo(file, SizeOf(file), SizeOf(file + "-wal"), freePages, pageSize);
    }

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static async Task<long> ScalarAsync(BlazorOsDbContext db, string sql, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
