using BlazorOs.Core.Data;
using BlazorOs.Web.Hosting;

// Content root beside the binaries, so appsettings.json is found whatever the working directory;
// relative paths in configuration (BLAZOROS_DATA) still resolve against the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
BlazorOsOptions options;
try
{
    options = BlazorOsOptions.From(builder.Configuration);
}
catch (ConfigurationValueException ex)
{
    await Console.Error.WriteLineAsync($"BlazorOs cannot start: {ex.Message}");
    return 2;
}

builder.AddBlazorOsWeb(options);
var app = builder.Build();
try
{
    await app.PrepareAsync();
}
catch (Exception ex) when (ex is DatabaseStartupException or ConfigurationValueException)
{
    // One clear line for the operator; the stack trace would bury it.
    app.Logger.LogCritical("BlazorOs cannot start: {Reason}", ex.Message);
    return 1;
}

app.UseBlazorOs();
await app.RunAsync();
return 0;

/// <summary>Named so test hosts (WebApplicationFactory) can find the entry point.</summary>
public partial class Program;
