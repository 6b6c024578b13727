using Microsoft.Data.Sqlite;
using Npgsql;

namespace BlazorOs.Core.Data;

public enum DatabaseProvider
{
    Sqlite = 0,
    PostgreSql = 1,
}

/// <summary>Which database the app uses, resolved once at start from the data folder and an optional connection string.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string? SqliteFilePath)
{
    public const string SqliteFileName = "blazoros.db";

    /// <summary>How long a connection waits for a lock held by another connection before it reports SQLITE_BUSY.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// <summary>Where the data is, for messages: the SQLite file, or the PostgreSQL host and database.</summary>
    public string Describe() => SqliteFilePath ?? DescribePostgres(ConnectionString);

    /// <param name="dataFolder">The data folder (<c>BLAZOROS_DATA</c>); the SQLite file lives in it.</param>
    /// <param name="connectionString">
    /// <c>BLAZOROS_DB</c>: empty for the embedded SQLite file, or an Npgsql connection string
    /// (<c>Host=…;Database=…</c>) to use PostgreSQL.
    /// </param>
    public static DatabaseSettings Resolve(string dataFolder, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var file = Path.Combine(Path.GetFullPath(dataFolder), SqliteFileName);
            return new DatabaseSettings(DatabaseProvider.Sqlite, SqliteConnectionStringFor(file), file);
        }

        // Npgsql's own parser: it accepts what Npgsql accepts ('host = db', quoted values), and a typo in a
        // keyword is refused here with this message instead of failing later inside the driver.
        if (ParsePostgres(connectionString) is { Host.Length: > 0 })
        {
            return new DatabaseSettings(DatabaseProvider.PostgreSql, connectionString, SqliteFilePath: null);
        }

        throw new FormatException(
            "BLAZOROS_DB is not a PostgreSQL connection string (expected 'Host=…;Database=…;Username=…'). " +
            "Leave it empty to use the SQLite file in the data folder.");
    }

    public static string SqliteConnectionStringFor(string file) => new SqliteConnectionStringBuilder
    {
        DataSource = file,
        Mode = SqliteOpenMode.ReadWriteCreate,
        ForeignKeys = true,
        Pooling = true,
        // Microsoft.Data.Sqlite retries a busy command on its own until the command timeout (30 s by default)
        // runs out, on top of SQLite's busy_timeout. Without this a lock held elsewhere stalls every command,
        // and the start, for 30 s instead of BusyTimeout.
        DefaultTimeout = (int)BusyTimeout.TotalSeconds,
    }.ToString();

    private static string DescribePostgres(string connectionString)
    {
        // Never echo the password: only host and database go into messages. Parsed, not split on ';', so a
        // quoted password that contains ';Host=' cannot pass for the host.
        var parsed = ParsePostgres(connectionString);
        return $"PostgreSQL database '{parsed?.Database ?? "?"}' on {parsed?.Host ?? "?"}";
    }

    private static NpgsqlConnectionStringBuilder? ParsePostgres(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
