using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;

namespace BlazorOs.Web.Hosting;

/// <summary>A configuration value that cannot work; the message names the variable and what it expects.</summary>
public sealed class ConfigurationValueException(string message) : Exception(message);

/// <summary>
/// The app's configuration (CONTRACTS "Configuration"). Each value comes from its environment variable
/// (<c>BLAZOROS_DATA</c>) or, when that is unset, from <c>appsettings.json</c> under <c>BlazorOs</c> (<c>BlazorOs:Data</c>).
/// </summary>
public sealed record BlazorOsOptions(
    string DataFolder,
    DatabaseSettings Database,
    string? Urls,
    string? ApiKey,
    string? OperatorPassword,
    bool ResetOperatorPassword,
    ModelEndpoint Model)
{
    public const string DefaultDataFolder = "./data";

    public string KeysFolder => Path.Combine(Path.GetFullPath(DataFolder), "keys");

    public static BlazorOsOptions From(IConfiguration configuration)
    {
        string? Read(string name) =>
            NullIfBlank(configuration[$"BLAZOROS_{name}"]) ?? NullIfBlank(configuration[$"BlazorOs:{ToPascal(name)}"]);

        var dataFolder = Read("DATA") ?? DefaultDataFolder;
        DatabaseSettings database;
        try
        {
            database = DatabaseSettings.Resolve(dataFolder, Read("DB"));
        }
        catch (FormatException ex)
        {
            throw new ConfigurationValueException(ex.Message);
        }

        return new BlazorOsOptions(
            dataFolder,
            database,
            // BLAZOROS_URLS, else ASPNETCORE_URLS or --urls (both land in "urls"), else appsettings' default.
            ValidateUrls(NullIfBlank(configuration["BLAZOROS_URLS"]) ?? NullIfBlank(configuration["urls"]) ?? Read("URLS")),
            Read("API_KEY"),
            Read("OPERATOR_PASSWORD"),
            ReadFlag(Read("OPERATOR_PASSWORD_RESET"), "BLAZOROS_OPERATOR_PASSWORD_RESET"),
            new ModelEndpoint(ValidateEndpoint(Read("LLM_ENDPOINT"), "LLM_ENDPOINT"), Read("LLM_KEY"), Read("LLM_MODEL"), Read("LLM_PLANNER_MODEL"))
            {
                EmbeddingModel = Read("EMBEDDING_MODEL"),
                EmbeddingEndpoint = ValidateEndpoint(Read("EMBEDDING_ENDPOINT"), "EMBEDDING_ENDPOINT"),
            });
    }

    private static string? ValidateUrls(string? urls)
    {
        if (urls is null)
        {
            return null;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel accepts '+' and '*' as "any host", which Uri does not parse.
            var probe = url.Replace("://+", "://any", StringComparison.Ordinal).Replace("://*", "://any", StringComparison.Ordinal);
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ConfigurationValueException(
                    $"BLAZOROS_URLS has '{url}', which is not an http(s) address. Example: http://127.0.0.1:5080");
            }
        }

        return urls;
    }

    private static Uri? ValidateEndpoint(string? endpoint, string name)
    {
        if (endpoint is null)
        {
            return null;
        }

        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationValueException(
                $"BLAZOROS_{name} is '{endpoint}', which is not an http(s) base URL. " +
                "Examples: https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama).");
    }

    private static bool ReadFlag(string? value, string name) => value switch
    {
        null => false,
        _ when bool.TryParse(value, out var flag) => flag,
        "1" => true,
        "0" => false,
        _ => throw new ConfigurationValueException($"{name} is '{value}'; use true or false."),
    };

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string ToPascal(string name) => string.Concat(name.Split('_')
        .Select(part => part[..1] + part[1..].ToLowerInvariant()));
}
