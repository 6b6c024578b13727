using System.Net;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Web.Tests.Api;

/// <summary>
/// Records one by one over HTTP: checked against their record type (a 400 names every bad field and writes nothing), with the
/// caller as provenance, changed and reverted only as new revisions, listed a page at a time.
/// </summary>
public sealed class RecordItemsApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task Writing_a_record_answers_201_and_reading_it_gives_its_values_and_provenance()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/memory/records/contact",
            """{ "values": { "name": "Ana Ruiz", "email": "ana@example.com", "role": "CFO" }, "scope": "clients:acme" }""");

        var created = await ApiScript.ReadAsync(response, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/memory/records/{id}", response.Headers.Location?.OriginalString);
        var record = await api.GetJsonAsync($"/api/memory/records/{id}");
        Assert.Equal(("contact", "Ana Ruiz", "ana@example.com", "clients:acme", 1), (record.GetProperty("type").GetString(),
            record.GetProperty("title").GetString(), record.GetProperty("values").GetProperty("email").GetString(),
            record.GetProperty("scope").GetString(), record.GetProperty("revision").GetInt32()));
        Assert.Equal("Api", record.GetProperty("provenance").GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_record_that_breaks_its_schema_is_a_400_naming_every_bad_field_and_nothing_is_written()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/memory/records/project",
            """{ "values": { "status": "someday", "due": "next week", "budget": 12, "colour": "red" }, "scope": "clients:schema-test" }""");

        await ApiAssert.InvalidFieldsAsync(response, "name", "status", "due", "budget", "colour");
        Assert.Equal(0, (await api.GetJsonAsync("/api/memory/records?scope=clients:schema-test")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_PUT_is_a_new_revision_a_stale_one_a_409_and_a_revert_brings_the_old_values_back()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, "company", """{ "values": { "name": "Initech", "industry": "Software" } }""");

        using var changed = await api.PutAsync($"/api/memory/records/{id}",
            """{ "values": { "name": "Initech", "industry": "Consulting" }, "reason": "Pivot", "revision": 1 }""");
        using var stale = await api.PutAsync($"/api/memory/records/{id}", """{ "values": { "name": "Initech" }, "revision": 1 }""");
        using var reverted = await api.PostAsync($"/api/memory/records/{id}/revert", """{ "toRevision": 1, "reason": "Pivot undone", "revision": 2 }""");

        Assert.Equal(2, (await ApiScript.ReadAsync(changed, HttpStatusCode.OK)).GetProperty("revision").GetInt32());
        await ApiAssert.ProblemAsync(stale, HttpStatusCode.Conflict, "revision 2");
        var record = await ApiScript.ReadAsync(reverted, HttpStatusCode.OK);
        Assert.Equal(("Software", 3), (record.GetProperty("values").GetProperty("industry").GetString(), record.GetProperty("revision").GetInt32()));
        var revisions = (await api.GetJsonAsync($"/api/memory/records/{id}/revisions")).EnumerateArray().ToList();
        Assert.Equal(["Software", "Consulting", "Software"], revisions.Select(r => r.GetProperty("new").GetProperty("industry").GetString()));
        Assert.Equal(("Pivot", "Reverted to revision 1: Pivot undone"), (revisions[1].GetProperty("reason").GetString(), revisions[2].GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData("""{ "values": { "name": "Initrode", "website": "not a url" } }""", "website")]
    [InlineData("""{ "values": [1, 2] }""", "values")]
    [InlineData("""{ "values": { "name": "Initrode" }, "revision": "one" }""", "revision")]
    public async Task A_bad_change_is_a_400_naming_the_field_and_the_record_stays(string body, string field)
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, "company", """{ "values": { "name": "Initrode", "website": "https://initrode.example" } }""");

        using var response = await api.PutAsync($"/api/memory/records/{id}", body);

        await ApiAssert.InvalidFieldsAsync(response, field);
        Assert.Equal(1, (await api.GetJsonAsync($"/api/memory/records/{id}")).GetProperty("revision").GetInt32());
    }

    [Theory]
    [InlineData("""{ }""", "toRevision")]
    [InlineData("""{ "toRevision": 1 }""", "toRevision")]
    [InlineData("""{ "toRevision": 5 }""", "toRevision")]
    public async Task A_revert_that_cannot_be_done_is_a_400(string body, string field)
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, "company", """{ "values": { "name": "Massive Dynamic" } }""");

        using var response = await api.PostAsync($"/api/memory/records/{id}/revert", body);

        await ApiAssert.InvalidFieldsAsync(response, field);
    }

    [Fact]
    public async Task A_revert_to_values_the_redefined_type_no_longer_takes_is_a_400_naming_the_field()
    {
        using var api = app.CreateApiScript();
        var types = app.Services.GetRequiredService<RecordService>();
        await types.SaveTypeAsync(new RecordTypeInput("gadget", "Gadget",
            [new RecordField("name", RecordFieldKind.Text, Required: true), new RecordField("colour", RecordFieldKind.Text)]), ApiScript.Ct);
        var id = await AddAsync(api, "gadget", """{ "values": { "name": "Widget", "colour": "red" } }""");
        using (await api.PutAsync($"/api/memory/records/{id}", """{ "values": { "name": "Widget" } }"""))
        {
        }

        await types.SaveTypeAsync(new RecordTypeInput("gadget", "Gadget", [new RecordField("name", RecordFieldKind.Text, Required: true)]), ApiScript.Ct);
        using var response = await api.PostAsync($"/api/memory/records/{id}/revert", """{ "toRevision": 1 }""");

        await ApiAssert.InvalidFieldsAsync(response, "colour");
        Assert.Equal(2, (await api.GetJsonAsync($"/api/memory/records/{id}")).GetProperty("revision").GetInt32());
    }

    [Theory]
    [InlineData("GET", "/api/memory/records/{id}")]
    [InlineData("PUT", "/api/memory/records/{id}")]
    [InlineData("GET", "/api/memory/records/{id}/revisions")]
    [InlineData("POST", "/api/memory/records/{id}/revert")]
    [InlineData("POST", "/api/memory/records/spaceship")]
    public async Task An_unknown_record_or_type_is_a_404_problem(string method, string path)
    {
        using var api = app.CreateApiScript();

        using var response = await api.SendAsync(method, ContractEndpoints.Concrete(path), """{ "values": { "name": "x" } }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_pages_records_by_title_within_a_type_and_scope()
    {
        using var api = app.CreateApiScript();
        foreach (var name in new[] { "Delta deal", "Alpha deal", "Charlie deal", "Bravo deal" })
        {
            await AddAsync(api, "deal", $$"""{ "values": { "name": "{{name}}", "stage": "lead" }, "scope": "clients:paging" }""");
        }

        await AddAsync(api, "contact", """{ "values": { "name": "Not a deal" }, "scope": "clients:paging" }""");

        var first = await api.GetJsonAsync("/api/memory/records?type=deal&scope=clients:paging&pageSize=3");
        var second = await api.GetJsonAsync("/api/memory/records?type=deal&scope=clients:paging&pageSize=3&page=1");
        var everyType = await api.GetJsonAsync("/api/memory/records?scope=clients:paging");

        Assert.Equal((4, 3), (first.GetProperty("total").GetInt32(), first.GetProperty("pageSize").GetInt32()));
        Assert.Equal(["Alpha deal", "Bravo deal", "Charlie deal"], first.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("title").GetString()));
        Assert.Equal(["Delta deal"], second.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("title").GetString()));
        Assert.Equal(5, everyType.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_parameters_that_do_not_fit_are_a_400_naming_each()
    {
        using var api = app.CreateApiScript();

        using var response = await api.GetAsync("/api/memory/records?type=spaceship&scope=Bad%20Scope&page=-1&pageSize=1000");

        await ApiAssert.InvalidFieldsAsync(response, "type", "scope", "page", "pageSize");
    }

    [Fact]
    public async Task The_record_types_list_the_built_in_ones_with_their_fields()
    {
        using var api = app.CreateApiScript();

        var types = (await api.GetJsonAsync("/api/memory/record-types")).EnumerateArray().ToList();

        var project = types.Single(t => t.GetProperty("name").GetString() == "project");
        Assert.True(project.GetProperty("isBuiltIn").GetBoolean());
        var status = project.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "status");
        Assert.Equal(("Choice", true), (status.GetProperty("kind").GetString(), status.GetProperty("required").GetBoolean()));
        Assert.Contains("active", status.GetProperty("choices").EnumerateArray().Select(c => c.GetString()));
        Assert.Superset(new HashSet<string?> { "contact", "company", "project", "deal" }, types.Select(t => t.GetProperty("name").GetString()).ToHashSet());
    }

    private static async Task<Guid> AddAsync(ApiScript api, string type, string body)
    {
        using var response = await api.PostAsync($"/api/memory/records/{type}", body);
        return (await ApiScript.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
