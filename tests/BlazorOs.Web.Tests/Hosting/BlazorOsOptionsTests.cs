using BlazorOs.Core.Memory.Vectors;
using BlazorOs.Web.Hosting;
using Microsoft.Extensions.Configuration;

namespace BlazorOs.Web.Tests.Hosting;

/// <summary>A malformed setting stops the start with a message that names the variable to fix.</summary>
public sealed class BlazorOsOptionsTests
{
    [Theory]
    [InlineData("BLAZOROS_URLS", "localhost:5080")]
    [InlineData("BLAZOROS_URLS", "http://127.0.0.1:5080;ftp://files.example")]
    [InlineData("BLAZOROS_LLM_ENDPOINT", "not a url")]
    [InlineData("BLAZOROS_LLM_ENDPOINT", "ftp://models.example/v1")]
    [InlineData("BLAZOROS_EMBEDDING_ENDPOINT", "not a url")]
    [InlineData("BLAZOROS_DB", "blazoros.db")]
    [InlineData("BLAZOROS_OPERATOR_PASSWORD_RESET", "yes please")]
    public void A_malformed_value_is_refused_naming_its_variable(string variable, string value)
    {
        var error = Assert.Throws<ConfigurationValueException>(() => BlazorOsOptions.From(Configuration((variable, value))));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BlazorOs:LlmEndpoint", "BLAZOROS_LLM_ENDPOINT")]
    [InlineData("BlazorOs:Urls", "BLAZOROS_URLS")]
    [InlineData("BlazorOs:OperatorPasswordReset", "BLAZOROS_OPERATOR_PASSWORD_RESET")]
    public void A_malformed_value_from_appsettings_names_the_variable_too(string key, string variable)
    {
        var error = Assert.Throws<ConfigurationValueException>(() => BlazorOsOptions.From(Configuration((key, "not valid"))));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_for_a_connection_string_does_not_echo_it()
    {
        var error = Assert.Throws<ConfigurationValueException>(() =>
            BlazorOsOptions.From(Configuration(("BLAZOROS_DB", "User=admin;Password=s3cret"))));

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_variables_win_over_appsettings()
    {
        var options = BlazorOsOptions.From(Configuration(
            ("BlazorOs:Data", "./from-appsettings"), ("BLAZOROS_DATA", "/srv/blazoros"),
            ("BlazorOs:LlmModel", "from-appsettings"), ("BLAZOROS_LLM_MODEL", "llama3.1"),
            ("BlazorOs:LlmEndpoint", "http://127.0.0.1:11434/v1")));

        Assert.Equal("/srv/blazoros", options.DataFolder);
        Assert.Equal("llama3.1", options.Model.TaskModel);
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), options.Model.Endpoint);
        Assert.True(options.Model.IsConfigured);
    }

    [Fact]
    public void Nothing_set_means_the_data_folder_default_and_no_model()
    {
        var options = BlazorOsOptions.From(Configuration());

        Assert.Equal("./data", options.DataFolder);
        Assert.True(options.Database.IsSqlite);
        Assert.False(options.Model.IsConfigured);
        Assert.False(options.ResetOperatorPassword);
        Assert.Null(options.ApiKey);
    }

    [Fact]
    public void An_embeddings_model_uses_the_chat_endpoint_unless_its_own_is_given()
    {
        var shared = EmbeddingSettings.From(BlazorOsOptions.From(Configuration(
            ("BLAZOROS_LLM_ENDPOINT", "http://127.0.0.1:11434/v1"), ("BLAZOROS_LLM_KEY", "k"), ("BLAZOROS_EMBEDDING_MODEL", "nomic-embed-text"))).Model);
        var own = EmbeddingSettings.From(BlazorOsOptions.From(Configuration(
            ("BLAZOROS_LLM_ENDPOINT", "http://127.0.0.1:11434/v1"), ("BLAZOROS_EMBEDDING_MODEL", "all-minilm"),
            ("BLAZOROS_EMBEDDING_ENDPOINT", "http://127.0.0.1:8080/v1"))).Model);
        var none = EmbeddingSettings.From(BlazorOsOptions.From(Configuration(("BLAZOROS_LLM_ENDPOINT", "http://127.0.0.1:11434/v1"))).Model);

        Assert.Equal((new Uri("http://127.0.0.1:11434/v1"), "k", "nomic-embed-text", true), (shared.Endpoint, shared.ApiKey, shared.Model, shared.IsConfigured));
        Assert.Equal((new Uri("http://127.0.0.1:8080/v1"), "all-minilm"), (own.Endpoint, own.Model));
        Assert.False(none.IsConfigured);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    public void The_reset_flag_reads_true_false_one_and_zero(string value, bool expected) =>
        Assert.Equal(expected, BlazorOsOptions.From(Configuration(("BLAZOROS_OPERATOR_PASSWORD_RESET", value))).ResetOperatorPassword);

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
