using BlazorOs.Core.Agents;
using BlazorOs.Core.Settings;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Tests.Agents;

/// <summary>The price table never breaks a step: a broken setting means "no prices", and says so in the log.</summary>
public sealed class ModelPriceTableTests
{
    [Fact]
    public async Task Prices_are_read_from_the_settings_table_by_model_name()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var log = new ListLogger<ModelPriceTable>();
        var table = new ModelPriceTable(store.Get<SettingsStore>(), log);
        await store.Get<SettingsStore>().SetAsync(ModelPriceTable.SettingKey, """
            { "gpt-4o-mini": { "inputPerMillion": 0.15, "outputPerMillion": 0.60, "currency": "USD" },
              "mistral-large": { "inputPerMillion": 2, "outputPerMillion": 6, "currency": "eur" } }
            """, TestContext.Current.CancellationToken);

        var mini = await table.FindAsync("gpt-4o-mini", TestContext.Current.CancellationToken);
        var large = await table.FindAsync("MISTRAL-LARGE", TestContext.Current.CancellationToken);
        var unknown = await table.FindAsync("llama3.1", TestContext.Current.CancellationToken);

        Assert.Equal(new ModelPrice(0.15m, 0.60m, "USD"), mini);
        Assert.Equal(new ModelPrice(2m, 6m, "EUR"), large);
        Assert.Null(unknown);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task Without_the_setting_there_are_no_prices()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var table = new ModelPriceTable(store.Get<SettingsStore>(), new ListLogger<ModelPriceTable>());

        Assert.Null(await table.FindAsync("gpt-4o-mini", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("\"gpt-4o-mini\"")]
    public void An_unreadable_table_means_no_prices_and_is_logged(string json)
    {
        var log = new ListLogger<ModelPriceTable>();
        var table = new ModelPriceTable(null!, log);

        Assert.Empty(table.Parse(json));
        var (level, message) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains(ModelPriceTable.SettingKey, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_entry_is_skipped_and_the_others_kept()
    {
        var log = new ListLogger<ModelPriceTable>();
        var table = new ModelPriceTable(null!, log);

        var prices = table.Parse("""
            { "good": { "inputPerMillion": 1, "outputPerMillion": 3 },
              "negative": { "inputPerMillion": -1, "outputPerMillion": 3 },
              "missing": { "inputPerMillion": 1 },
              "text": { "inputPerMillion": "1", "outputPerMillion": "3" },
              "flat": 5 }
            """);

        Assert.Equal(["good"], prices.Keys);
        Assert.Equal("USD", prices["good"].Currency);
        Assert.Equal(4, log.Entries.Count);
        Assert.Contains(log.Entries, e => e.Message.Contains("'negative'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1000, 200, 270)]
    [InlineData(0, 0, 0)]
    [InlineData(1, 1, 1)] // 0.75 micros rounds to 1
    [InlineData(3, 0, 0)] // 0.45 micros rounds to 0
    [InlineData(2_000_000_000, 1_000_000_000, 900_000_000)]
    public void Cost_is_in_micros_of_the_currency(long tokensIn, long tokensOut, long micros) =>
        Assert.Equal(micros, new ModelPrice(0.15m, 0.60m, "USD").CostMicros(tokensIn, tokensOut));
}
