using System.Text.Json;
using BlazorOs.Core.Settings;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Agents;

/// <summary>What one model costs, per million tokens, in <see cref="Currency"/>.</summary>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion, string Currency)
{
    /// <summary>
    /// Cost in millionths of the currency. A price per million tokens is, per token, exactly that many
    /// micros: 0.15 USD per million input tokens is 0.15 micro-dollars per token.
    /// </summary>
    public long CostMicros(long tokensIn, long tokensOut) =>
        (long)Math.Round(tokensIn * InputPerMillion + tokensOut * OutputPerMillion, MidpointRounding.AwayFromZero);
}

/// <summary>
/// Model prices from the settings table (key <see cref="SettingKey"/>), read on every lookup so an edit in
/// Settings applies to the next agent call. A broken table means "no prices" (logged), never a failed step.
/// </summary>
/// <example><c>{ "gpt-4o-mini": { "inputPerMillion": 0.15, "outputPerMillion": 0.60, "currency": "USD" } }</c></example>
public sealed partial class ModelPriceTable(SettingsStore settings, ILogger<ModelPriceTable> logger)
{
    public const string SettingKey = "models.prices";

    /// <summary>The price of <paramref name="model"/>, or null when the table has none for it.</summary>
    public async Task<ModelPrice?> FindAsync(string model, CancellationToken cancellationToken = default)
    {
        var json = await settings.GetAsync(SettingKey, cancellationToken);
        return string.IsNullOrWhiteSpace(json) ? null : Parse(json).GetValueOrDefault(model);
    }

    /// <summary>Every well-formed entry; entries with a missing or negative price are skipped and logged.</summary>
    internal IReadOnlyDictionary<string, ModelPrice> Parse(string json)
    {
        var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            LogUnreadableTable(logger, SettingKey, ex.Message);
            return prices;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                LogUnreadableTable(logger, SettingKey, "the value is not a JSON object of models");
                return prices;
            }

            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (TryReadPrice(entry.Value, out var price))
                {
                    prices[entry.Name] = price;
                }
                else
                {
                    LogSkippedEntry(logger, entry.Name, SettingKey);
                }
            }
        }

        return prices;
    }

    private static bool TryReadPrice(JsonElement element, out ModelPrice price)
    {
        price = null!;
        if (element.ValueKind != JsonValueKind.Object
            || !TryReadAmount(element, "inputPerMillion", out var input)
            || !TryReadAmount(element, "outputPerMillion", out var output))
        {
            return false;
        }

        var currency = element.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(c.GetString())
            ? c.GetString()!.Trim().ToUpperInvariant()
            : "USD";
        price = new ModelPrice(input, output, currency);
        return true;
    }

    private static bool TryReadAmount(JsonElement element, string name, out decimal amount)
    {
        amount = 0;
        return element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out amount) && amount >= 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The price table in setting '{Key}' is unreadable ({Reason}): agent calls are recorded without cost")]
    private static partial void LogUnreadableTable(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The price of model '{Model}' in setting '{Key}' needs non-negative numbers inputPerMillion and outputPerMillion: skipped")]
    private static partial void LogSkippedEntry(ILogger logger, string model, string key);
}
