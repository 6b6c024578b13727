using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Hosting;

/// <summary>The real Program refuses to start on a setting that cannot work, before it touches the store where it can.</summary>
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task A_malformed_model_endpoint_stops_the_start_before_the_store_is_made()
    {
        await using var app = new BlazorOsAppFactory { Settings = { ["BLAZOROS_LLM_ENDPOINT"] = "not a url" } };

        Assert.ThrowsAny<InvalidOperationException>(() => app.CreateClient());

        Assert.False(Directory.Exists(app.DataFolder));
    }

    [Theory]
    [InlineData("BLAZOROS_API_KEY", "too-short", "BLAZOROS_API_KEY must be at least 16 characters")]
    [InlineData("BLAZOROS_OPERATOR_PASSWORD", "short", "BLAZOROS_OPERATOR_PASSWORD needs at least 10 characters")]
    public async Task A_key_or_password_too_short_to_be_safe_stops_the_start(string variable, string value, string reason)
    {
        await using var app = new BlazorOsAppFactory { Settings = { [variable] = value } };

        Assert.ThrowsAny<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains(app.Logs.Entries, entry => entry.StartsWith("Critical: BlazorOs cannot start: ", StringComparison.Ordinal)
            && entry.Contains(reason, StringComparison.Ordinal));
    }
}
