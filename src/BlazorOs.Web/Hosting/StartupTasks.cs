using BlazorOs.Core.Data;
using BlazorOs.Core.Operator;
using BlazorOs.Web.Auth;

namespace BlazorOs.Web.Hosting;

/// <summary>What must be true before the first request: schema current, the environment's key and password in place.</summary>
internal static partial class StartupTasks
{
    public static async Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var services = app.Services;
        var options = services.GetRequiredService<BlazorOsOptions>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupTasks));

        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        LogStore(logger, options.Database.Describe());

        if (options.ApiKey is { } apiKey)
        {
            try
            {
                await services.GetRequiredService<ApiKeyService>().EnsureEnvironmentKeyAsync(apiKey, cancellationToken);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                throw new ConfigurationValueException(ex.Message);
            }
        }

        if (options.OperatorPassword is { } password)
        {
            var account = services.GetRequiredService<OperatorAccount>();
            if (password.Length < OperatorAccount.MinimumPasswordLength)
            {
                throw new ConfigurationValueException(
                    $"BLAZOROS_OPERATOR_PASSWORD needs at least {OperatorAccount.MinimumPasswordLength} characters.");
            }

            if (options.ResetOperatorPassword)
            {
                await account.ResetAsync(password, cancellationToken);
                LogPasswordReset(logger);
            }
            else if (await account.SetUpAsync(password, cancellationToken))
            {
                LogPasswordSet(logger);
            }
        }

        if (!options.Model.IsConfigured)
        {
            LogNoModel(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: {Database}")]
    private static partial void LogStore(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator password set from BLAZOROS_OPERATOR_PASSWORD (first start)")]
    private static partial void LogPasswordSet(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Operator password reset from BLAZOROS_OPERATOR_PASSWORD; every session is signed out. Unset BLAZOROS_OPERATOR_PASSWORD_RESET now")]
    private static partial void LogPasswordReset(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "No model configured (BLAZOROS_LLM_ENDPOINT, BLAZOROS_LLM_MODEL): agent steps will wait for the operator to write their output")]
    private static partial void LogNoModel(ILogger logger);
}
