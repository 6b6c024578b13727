using System.Net;
using System.Text.Json;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Health;

public sealed class HealthEndpointTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task Health_answers_without_sign_in_and_reports_the_database()
    {
        using var script = app.CreateScript();

        using var response = await script.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_app_keeps_its_store_in_the_folder_from_BLAZOROS_DATA()
    {
        using var script = app.CreateScript();
        using var response = await script.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // UseSetting reached Program before it read its options: the store and the keys live in the test's folder.
        Assert.True(File.Exists(Path.Combine(app.DataFolder, "blazoros.db")));
        Assert.True(Directory.Exists(Path.Combine(app.DataFolder, "keys")));
    }
}
