using System.Diagnostics;
using BlazorOs.Core.Data;
using Microsoft.Data.Sqlite;

namespace BlazorOs.Benchmarks;

/// <summary>
/// The ceiling the engine is compared with: single-row INSERT transactions through Microsoft.Data.Sqlite on a file
/// beside the engine's, with the engine's connection string and pragmas (WAL, synchronous=FULL, busy timeout). Each
/// commit is one fsync of the WAL, which is what one durable state change cannot avoid.
/// </summary>
internal sealed class RawCommitProbe : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _at;

    private RawCommitProbe(SqliteConnection connection)
    {
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO Probe (At, Payload) VALUES ($at, $payload);";
        _at = _insert.Parameters.Add("$at", SqliteType.Text);
        // About the size of a trace event row.
        _insert.Parameters.AddWithValue("$payload", new string('x', 300));
    }

    public static RawCommitProbe Open(string file)
    {
        var connection = new SqliteConnection(DatabaseSettings.SqliteConnectionStringFor(file));
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, "PRAGMA synchronous = FULL;");
        Execute(connection, $"PRAGMA busy_timeout = {(int)DatabaseSettings.BusyTimeout.TotalMilliseconds};");
        Execute(connection, "CREATE TABLE IF NOT EXISTS Probe (Id INTEGER PRIMARY KEY, At TEXT NOT NULL, Payload TEXT NOT NULL);");
        return new RawCommitProbe(connection);
    }

    /// <summary>One transaction with one INSERT, committed.</summary>
    public void CommitOne()
    {
        using var transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        _at.Value = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        _insert.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>How long <paramref name="commits"/> transactions in a row take.</summary>
    public TimeSpan Time(int commits)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < commits; i++)
        {
            CommitOne();
        }

        return clock.Elapsed;
    }

    public string Version => _connection.ServerVersion;

    public string Pragma(string name) => Convert.ToString(Scalar(_connection, $"PRAGMA {name};"), System.Globalization.CultureInfo.InvariantCulture) ?? "";

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql) => Scalar(connection, sql);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
