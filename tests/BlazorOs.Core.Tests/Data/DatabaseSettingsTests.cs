using BlazorOs.Core.Data;
using Microsoft.Data.Sqlite;

namespace BlazorOs.Core.Tests.Data;

public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Without_a_connection_string_the_SQLite_file_lives_in_the_data_folder(string? connectionString)
    {
        var settings = DatabaseSettings.Resolve(Path.Combine("relative", "data"), connectionString);

        var expected = Path.Combine(Path.GetFullPath(Path.Combine("relative", "data")), "blazoros.db");
        Assert.Equal((DatabaseProvider.Sqlite, expected), (settings.Provider, settings.SqliteFilePath));
        var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal((expected, true, SqliteOpenMode.ReadWriteCreate), (builder.DataSource, builder.ForeignKeys, builder.Mode));
        Assert.Equal((int)DatabaseSettings.BusyTimeout.TotalSeconds, builder.DefaultTimeout);
        Assert.Equal(expected, settings.Describe());
    }

    [Theory]
    [InlineData("Host=db.internal;Database=blazoros;Username=bos;Password=hunter2")]
    [InlineData("Server=db.internal;Port=5433;Database=blazoros")]
    public void A_PostgreSQL_connection_string_selects_PostgreSQL(string connectionString)
    {
        var settings = DatabaseSettings.Resolve("data", connectionString);

        Assert.Equal((DatabaseProvider.PostgreSql, connectionString, (string?)null), (settings.Provider, settings.ConnectionString, settings.SqliteFilePath));
        Assert.False(settings.IsSqlite);
        Assert.Equal("PostgreSQL database 'blazoros' on db.internal", settings.Describe());
    }

    [Theory]
    [InlineData("blazoros.db")]
    [InlineData("Data Source=/var/lib/blazoros/blazoros.db")]
    [InlineData("postgres://bos:secret@db/blazoros")]
    [InlineData("Host=db;Databse=blazoros;Password=secret")]
    public void A_connection_string_that_is_not_PostgreSQL_is_refused_with_a_message(string connectionString)
    {
        var ex = Assert.Throws<FormatException>(() => DatabaseSettings.Resolve("data", connectionString));

        Assert.Contains("BLAZOROS_DB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Host=", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Database=blazoros;Username=bos;Password=s3cr3t-pw")]
    [InlineData("password = s3cr3t-pw ; HOST = db ; database = blazoros")]
    [InlineData("Host=db;Password='s3cr3t-pw;Database=s3cr3t-pw';Database=blazoros")]
    [InlineData("Password=\"x;Host=s3cr3t-pw\";Host=db;Database=blazoros")]
    public void Describe_never_contains_the_password(string connectionString)
    {
        var described = DatabaseSettings.Resolve("data", connectionString).Describe();

        Assert.DoesNotContain("s3cr3t", described, StringComparison.Ordinal);
        Assert.Equal("PostgreSQL database 'blazoros' on db", described);
    }
}
