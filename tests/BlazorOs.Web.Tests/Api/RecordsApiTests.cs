using System.Net;
using System.Text;
using System.Text.Json;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary>
/// Records over HTTP: an import with a bad row is a 400 naming each row and field and writes nothing, unless the caller asks
/// for the valid rows; an export gives back what was imported, as JSON or CSV.
/// </summary>
public sealed class RecordsApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task A_csv_with_bad_rows_is_a_400_listing_them_and_nothing_is_imported()
    {
        using var api = app.CreateApiScript();
        const string csv = "name,website,industry\nUmbrella,https://umbrella.example,Pharma\n,https://noname.example,\nHooli,not a url,Tech\n";

        using var response = await PostTextAsync(api, "/api/memory/records/company/import?format=csv", csv, "text/csv");

        var problem = await ApiAssert.InvalidFieldsAsync(response, "row 3: name", "row 4: website");
        Assert.Contains("Nothing was imported", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var exported = await ExportAsync(api, "company", "json");
        Assert.DoesNotContain("Umbrella", exported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_importValidRows_the_good_rows_are_written_and_exported_back()
    {
        using var api = app.CreateApiScript();
        const string json = """
            [ { "scope": "clients:acme", "values": { "name": "Acme rollout", "status": "active", "budget": "5000 EUR" } },
              { "values": { "name": "Broken", "status": "someday" } } ]
            """;

        using var response = await PostTextAsync(api, "/api/memory/records/project/import?format=json&importValidRows=true", json, "application/json");

        var report = await ApiScript.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal((2, 1), (report.GetProperty("rows").GetInt32(), report.GetProperty("imported").GetInt32()));
        var bad = Assert.Single(report.GetProperty("problems").EnumerateArray());
        Assert.Equal((2, "status"), (bad.GetProperty("row").GetInt32(), bad.GetProperty("field").GetString()));
        var csv = await ExportAsync(api, "project", "csv");
        Assert.Equal(["name,status,client,due,budget,_scope", "Acme rollout,active,,,5000 EUR,clients:acme"],
            csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        using var exported = JsonDocument.Parse(await ExportAsync(api, "project", "json"));
        Assert.Equal("Acme rollout", Assert.Single(exported.RootElement.EnumerateArray()).GetProperty("values").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/api/memory/records/spaceship/export?format=csv", HttpStatusCode.NotFound)]
    [InlineData("/api/memory/records/company/export?format=xml", HttpStatusCode.BadRequest)]
    public async Task An_unknown_type_or_format_is_a_problem(string path, HttpStatusCode status)
    {
        using var api = app.CreateApiScript();

        using var response = await api.GetAsync(path);

        await ApiAssert.ProblemAsync(response, status);
    }

    private static Task<HttpResponseMessage> PostTextAsync(ApiScript api, string path, string body, string mediaType) =>
        api.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, mediaType), ApiScript.Ct);

    private static async Task<string> ExportAsync(ApiScript api, string type, string format)
    {
        using var response = await api.GetAsync($"/api/memory/records/{type}/export?format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{type}.{format}", response.Content.Headers.ContentDisposition?.FileName);
        return await response.Content.ReadAsStringAsync(ApiScript.Ct);
    }
}
