using System.Net;
using BlazorOs.Core.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Web.Tests.Support;

/// <summary>
/// The real app (Program, its pipeline and its startup tasks) on an in-memory test server, with a data folder of its
/// own. Settings go in with <c>UseSetting</c>: WebApplicationFactory hands those to Program as command-line arguments,
/// so <c>builder.Configuration</c> has them before Program reads its options (ConfigureAppConfiguration would come too late).
/// </summary>
public sealed class BlazorOsAppFactory : WebApplicationFactory<Program>
{
    /// <summary>A valid 32-character key, given as <c>BLAZOROS_API_KEY</c> unless a test says otherwise.</summary>
    public const string ApiKey = "test-api-key-0123456789abcdefghi";

    /// <summary>The operator password, given as <c>BLAZOROS_OPERATOR_PASSWORD</c> unless a test says otherwise.</summary>
    public const string Password = "correct horse battery";

    /// <summary>Requests carrying <c>X-Test-Client: 10.0.0.7</c> come from that address, so each test is a client of its own.</summary>
    public const string ClientHeader = "X-Test-Client";

    private readonly TempDataFolder _folder = TempDataFolder.Create();

    /// <summary>
    /// The configuration the app starts with, as its environment variables would give it; change it before the app
    /// starts (<c>new BlazorOsAppFactory { Settings = { ["BLAZOROS_OPERATOR_PASSWORD"] = null } }</c>). Null leaves a value unset.
    /// </summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal)
    {
        ["BLAZOROS_API_KEY"] = ApiKey,
        ["BLAZOROS_OPERATOR_PASSWORD"] = Password,
    };

    public string DataFolder => _folder.Path;

    /// <summary>What the app logged at warning and above.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>A browser: keeps cookies, does not follow redirects, so each redirect can be asserted.</summary>
    public OperatorBrowser CreateBrowser() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
    }));

    /// <summary>Seeds the running app's store (starts the app if it is not running yet).</summary>
    public StoreSeeder Seeder() => new(Services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>(), Services.GetRequiredService<TimeProvider>());

    /// <summary>A script: no cookies, no redirects.</summary>
    public HttpClient CreateScript() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = false,
    });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The pipeline an operator runs: exception handler and status pages as in production.
        builder.UseEnvironment("Production");
        builder.UseSetting("BLAZOROS_DATA", _folder.Path);
        foreach (var (key, value) in Settings)
        {
            if (value is not null)
            {
                builder.UseSetting(key, value);
            }
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The test server gives every request the same (no) remote address; the sign-in rate limit partitions by it.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
            app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out var address))
                    {
                        context.Connection.RemoteIpAddress = address;
                    }

                    return nextMiddleware(context);
                });
                next(app);
            };
    }
}
