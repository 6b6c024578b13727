using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Data;

/// <summary>
/// Brings the database to the code's schema at start: creates the data folder, turns on WAL, refuses a
/// database migrated by a newer version, backs up an existing SQLite file before changing its schema,
/// and turns low-level failures into messages an operator can act on.
/// </summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<BlazorOsDbContext> dbFactory,
    DatabaseSettings settings,
    TimeProvider clock,
    ILogger<DatabaseMigrator> logger)
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;
    private const int SqliteReadOnly = 8;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (settings.SqliteFilePath is { } file)
            {
                PrepareFolder(file);
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (settings.IsSqlite)
            {
                await EnableWalAsync(db, cancellationToken);
            }

            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
            var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
            var unknown = applied.Where(m => !known.Contains(m)).ToList();
            if (unknown.Count > 0)
            {
                throw new DatabaseStartupException(
                    $"The database {settings.Describe()} was migrated by a newer BlazorOs: it has migration(s) " +
                    $"{string.Join(", ", unknown)} that this version does not know. Run the newer version, or restore a " +
                    "backup made by this one. The database was not changed.");
            }

            var pending = known.Except(applied, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (pending.Count == 0)
            {
                return;
            }

            if (applied.Count > 0 && settings.SqliteFilePath is { } existing)
            {
                await BackUpAsync(db, existing, pending[^1], cancellationToken);
            }

            LogApplying(pending.Count, string.Join(", ", pending), settings.Describe());
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw Explain(ex);
        }
    }

    private static void PrepareFolder(string file)
    {
        var folder = Path.GetDirectoryName(file)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseStartupException(
                $"The data folder {folder} does not exist and cannot be created ({ex.Message}). " +
                "Create it or set BLAZOROS_DATA to a folder this user can write.", ex);
        }
    }

    private static async Task EnableWalAsync(BlazorOsDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new DatabaseStartupException(
                    $"SQLite refused WAL mode (it answered '{mode}'). The data folder must be on a local file system.");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task BackUpAsync(BlazorOsDbContext db, string file, string target, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetDirectoryName(file)!, "backups");
        Directory.CreateDirectory(folder);
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var backup = Path.Combine(folder, $"blazoros-{stamp}-before-{target}.db");
        // VACUUM INTO writes a consistent, compact copy while the source stays usable.
        await db.Database.ExecuteSqlAsync($"VACUUM INTO {backup}", cancellationToken);
        LogBackedUp(backup);
    }

    private DatabaseStartupException Explain(SqliteException ex) => ex.SqliteErrorCode switch
    {
        SqliteNotADatabase or SqliteCorrupt => new DatabaseStartupException(
            $"The file {settings.Describe()} is not a readable SQLite database (SQLite: {ex.Message}). It was left " +
            "untouched. Restore it from data/backups or another backup, or move it away to start with an empty database.", ex),
        SqliteBusy or SqliteLocked => new DatabaseStartupException(
            $"The database {settings.Describe()} stayed locked by another process for longer than " +
            $"{DatabaseSettings.BusyTimeout.TotalSeconds:0} s. Is another BlazorOs or a tool using the same data folder?", ex),
        SqliteCantOpen or SqliteReadOnly => new DatabaseStartupException(
            $"The database {settings.Describe()} cannot be opened for writing (SQLite: {ex.Message}). " +
            "Check that the data folder and its files belong to this user.", ex),
        _ => new DatabaseStartupException($"The database {settings.Describe()} failed at start: {ex.Message}", ex),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s) to {Database}: {Migrations}")]
    private partial void LogApplying(int count, string migrations, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backed up the database before migrating it: {Backup}")]
    private partial void LogBackedUp(string backup);
}
