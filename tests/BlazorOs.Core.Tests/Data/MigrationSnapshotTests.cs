using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Data;

/// <summary>A model change without its migration would make the migrator refuse to start; catch it here instead.</summary>
public sealed class MigrationSnapshotTests
{
    [Fact]
    public async Task The_SQLite_migrations_match_the_model()
    {
        await using var store = TempStore.Create();
        await using var db = store.NewContext();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void The_PostgreSQL_migrations_match_the_model()
    {
        // Comparing the model with the snapshot needs no server.
        var options = new DbContextOptionsBuilder<PostgresBlazorOsDbContext>().UseNpgsql("Host=localhost;Database=blazoros_check").Options;
        using var db = new PostgresBlazorOsDbContext(options);

        Assert.False(db.Database.HasPendingModelChanges());
    }
}
