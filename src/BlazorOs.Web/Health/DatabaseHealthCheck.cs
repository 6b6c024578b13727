using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorOs.Web.Health;

/// <summary>Healthy when a real query against the store answers; says which store and why not otherwise.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<BlazorOsDbContext> dbFactory, DatabaseSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Settings.AsNoTracking().AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy(settings.IsSqlite ? "sqlite" : "postgresql");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The database {settings.Describe()} does not answer: {ex.GetBaseException().Message}");
        }
    }
}
