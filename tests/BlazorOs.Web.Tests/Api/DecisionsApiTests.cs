using System.Net;
using System.Text.Json;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary>
/// Decisions over HTTP, as facts are: written with the caller as provenance, changed only as new revisions (a stale revision is
/// a 409), reverted as a new revision, and every bad field named in a 400.
/// </summary>
public sealed class DecisionsApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task Writing_a_decision_answers_201_with_it_and_the_API_key_as_provenance()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/memory/decisions",
            """{ "title": "Use Postgres for Acme", "rationale": "They run it already", "alternatives": ["SQLite", "SQL Server"], "scope": "clients:acme" }""");

        var decision = await ApiScript.ReadAsync(response, HttpStatusCode.Created);
        var id = decision.GetProperty("id").GetGuid();
        Assert.Equal($"/api/memory/decisions/{id}", response.Headers.Location?.OriginalString);
        var read = await api.GetJsonAsync($"/api/memory/decisions/{id}");
        Assert.Equal(("Use Postgres for Acme", "They run it already", "clients:acme", "Operator", 1), (read.GetProperty("title").GetString(),
            read.GetProperty("rationale").GetString(), read.GetProperty("scope").GetString(), read.GetProperty("decidedBy").GetString(),
            read.GetProperty("revision").GetInt32()));
        Assert.Equal(["SQLite", "SQL Server"], read.GetProperty("alternatives").EnumerateArray().Select(a => a.GetString()));
        var provenance = read.GetProperty("provenance");
        Assert.Equal(("Api", "operator"), (provenance.GetProperty("source").GetString(), provenance.GetProperty("actor").GetString()));
        Assert.Contains("BLAZOROS_API_KEY", provenance.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_decision_is_a_400_naming_every_field()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/memory/decisions", """{ "title": " ", "scope": "Not A Scope" }""");

        await ApiAssert.InvalidFieldsAsync(response, "title", "scope");
    }

    [Fact]
    public async Task A_PUT_stores_a_revision_with_its_reason_and_a_stale_one_is_a_409()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "title": "Ship on Fridays", "rationale": "More time" }""");

        using var changed = await api.PutAsync($"/api/memory/decisions/{id}",
            """{ "title": "Ship on Tuesdays", "rationale": "Fridays broke the weekend", "reason": "Incident review", "revision": 1 }""");
        using var stale = await api.PutAsync($"/api/memory/decisions/{id}", """{ "title": "Ship on Mondays", "revision": 1 }""");

        Assert.Equal(2, (await ApiScript.ReadAsync(changed, HttpStatusCode.OK)).GetProperty("revision").GetInt32());
        await ApiAssert.ProblemAsync(stale, HttpStatusCode.Conflict, "revision 2");
        var revisions = (await api.GetJsonAsync($"/api/memory/decisions/{id}/revisions")).EnumerateArray().ToList();
        Assert.Equal([1, 2], revisions.Select(r => r.GetProperty("number").GetInt32()));
        Assert.Equal(JsonValueKind.Null, revisions[0].GetProperty("old").ValueKind);
        Assert.Equal(("Ship on Fridays", "Ship on Tuesdays", "Incident review", "Api"), (revisions[1].GetProperty("old").GetProperty("title").GetString(),
            revisions[1].GetProperty("new").GetProperty("title").GetString(), revisions[1].GetProperty("reason").GetString(),
            revisions[1].GetProperty("provenance").GetProperty("source").GetString()));
    }

    [Fact]
    public async Task A_revert_restores_an_old_content_as_a_new_revision()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "title": "Price at 100 EUR", "alternatives": ["90 EUR"] }""");
        using (await api.PutAsync($"/api/memory/decisions/{id}", """{ "title": "Price at 120 EUR" }"""))
        {
        }

        using var response = await api.PostAsync($"/api/memory/decisions/{id}/revert", """{ "toRevision": 1, "reason": "Too dear", "revision": 2 }""");

        var decision = await ApiScript.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(("Price at 100 EUR", 3), (decision.GetProperty("title").GetString(), decision.GetProperty("revision").GetInt32()));
        Assert.Equal(["90 EUR"], decision.GetProperty("alternatives").EnumerateArray().Select(a => a.GetString()));
        var last = (await api.GetJsonAsync($"/api/memory/decisions/{id}/revisions")).EnumerateArray().Last();
        Assert.Equal("Reverted to revision 1: Too dear", last.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("""{ "reason": "no revision named" }""", HttpStatusCode.BadRequest)]
    [InlineData("""{ "toRevision": 9 }""", HttpStatusCode.BadRequest)]
    [InlineData("""{ "toRevision": 2 }""", HttpStatusCode.BadRequest)]
    [InlineData("""{ "toRevision": 1, "revision": 1 }""", HttpStatusCode.Conflict)]
    public async Task A_revert_that_cannot_be_done_changes_nothing(string body, HttpStatusCode status)
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "title": "Hire a designer" }""");
        using (await api.PutAsync($"/api/memory/decisions/{id}", """{ "title": "Hire two designers" }"""))
        {
        }

        using var response = await api.PostAsync($"/api/memory/decisions/{id}/revert", body);

        if (status == HttpStatusCode.BadRequest)
        {
            await ApiAssert.InvalidFieldsAsync(response, "toRevision");
        }
        else
        {
            await ApiAssert.ProblemAsync(response, status, "revision 2");
        }

        Assert.Equal(2, (await api.GetJsonAsync($"/api/memory/decisions/{id}/revisions")).GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/api/memory/decisions/{id}")]
    [InlineData("PUT", "/api/memory/decisions/{id}")]
    [InlineData("GET", "/api/memory/decisions/{id}/revisions")]
    [InlineData("POST", "/api/memory/decisions/{id}/revert")]
    public async Task An_unknown_decision_is_a_404_problem(string method, string path)
    {
        using var api = app.CreateApiScript();

        using var response = await api.SendAsync(method, ContractEndpoints.Concrete(path), """{ "title": "x" }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "does not exist");
    }

    private static async Task<Guid> AddAsync(ApiScript api, string body)
    {
        using var response = await api.PostAsync("/api/memory/decisions", body);
        return (await ApiScript.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
