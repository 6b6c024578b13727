using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BlazorOs.Core.Data;

/// <summary>
/// Per-connection SQLite settings. WAL mode is a property of the file (set once by the migrator);
/// the busy timeout is per connection, so every connection the pool hands out gets it.
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    private static readonly string Sql = $"PRAGMA busy_timeout = {(int)DatabaseSettings.BusyTimeout.TotalMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }
}
