using BlazorOs.Core.Operator;
using BlazorOs.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers the store: a context factory for the configured provider, migrator and maintenance.</summary>
    public static IServiceCollection AddBlazorOsData(this IServiceCollection services, DatabaseSettings settings)
    {
        services.AddSingleton(settings);
        services.TryAddTimeProvider();
        if (settings.IsSqlite)
        {
            services.AddDbContextFactory<BlazorOsDbContext>(options => options
                .UseSqlite(settings.ConnectionString, sqlite => sqlite.MigrationsAssembly(typeof(BlazorOsDbContext).Assembly))
                .AddInterceptors(new SqliteConnectionPragmas()));
        }
        else
        {
            services.AddDbContextFactory<PostgresBlazorOsDbContext>(options => options.UseNpgsql(settings.ConnectionString));
            services.AddSingleton<IDbContextFactory<BlazorOsDbContext>>(sp =>
                new UpcastDbContextFactory<PostgresBlazorOsDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresBlazorOsDbContext>>()));
        }

        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<DatabaseMaintenance>();
        services.AddHostedService<WalCheckpointService>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<ApiKeyService>();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private sealed class UpcastDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<BlazorOsDbContext>
        where TContext : BlazorOsDbContext
    {
        public BlazorOsDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<BlazorOsDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
