using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BlazorOs.Core.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the web host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<BlazorOsDbContext>
{
    public BlazorOsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<BlazorOsDbContext>()
        .UseSqlite(DatabaseSettings.SqliteConnectionStringFor("design-time.db")).Options);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model; no server is contacted to add a migration.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBlazorOsDbContext>
{
    public PostgresBlazorOsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresBlazorOsDbContext>()
        .UseNpgsql("Host=localhost;Database=blazoros_design").Options);
}
