using System.Net;
using System.Text;
using System.Text.Json;
using BlazorOs.Core.Data;
using BlazorOs.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Web.Tests.Api;

/// <summary>
/// Facts over HTTP: written with the caller as provenance, changed only as new revisions, and found by ranked search that
/// follows every change. Each test uses words of its own, as the app (and its memory) is shared by the class.
/// </summary>
public sealed class MemoryApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task Writing_a_fact_answers_201_with_the_fact_and_the_API_key_as_provenance()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/memory/facts",
            """{ "subject": "Acme Ltd", "predicate": "payment terms days", "kind": "number", "value": 30, "scope": "clients:acme", "confidence": 0.8 }""");

        var fact = await ApiScript.ReadAsync(response, HttpStatusCode.Created);
        var id = fact.GetProperty("id").GetGuid();
        Assert.Equal($"/api/memory/facts/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(("Acme Ltd", "Number", 30.0, "clients:acme", 0.8, 1), (fact.GetProperty("subject").GetString(),
            fact.GetProperty("kind").GetString(), fact.GetProperty("value").GetDouble(), fact.GetProperty("scope").GetString(),
            fact.GetProperty("confidence").GetDouble(), fact.GetProperty("revision").GetInt32()));
        var provenance = fact.GetProperty("provenance");
        Assert.Equal(("Api", "operator"), (provenance.GetProperty("source").GetString(), provenance.GetProperty("actor").GetString()));
        Assert.Contains("BLAZOROS_API_KEY", provenance.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_fact_returns_it_with_its_provenance()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Globex", "predicate": "renewal", "kind": "date", "value": "2027-03-31" }""");

        var fact = await api.GetJsonAsync($"/api/memory/facts/{id}");

        Assert.Equal(("Globex", "Date", "2027-03-31", "business"), (fact.GetProperty("subject").GetString(), fact.GetProperty("kind").GetString(),
            fact.GetProperty("value").GetString(), fact.GetProperty("scope").GetString()));
        Assert.Equal("Api", fact.GetProperty("provenance").GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_fact_written_from_the_signed_in_session_has_the_operator_as_its_source()
    {
        using var browser = app.CreateBrowser();
        using (await browser.SignInAsync(BlazorOsAppFactory.Password))
        {
        }

        using var response = await browser.Client.PostAsync(new Uri("/api/memory/facts", UriKind.Relative), new StringContent(
            """{ "subject": "Initrode", "predicate": "note", "value": "Met at the fair" }""", Encoding.UTF8, "application/json"), ApiScript.Ct);

        var fact = await ApiScript.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(("Operator", "operator"), (fact.GetProperty("provenance").GetProperty("source").GetString(),
            fact.GetProperty("provenance").GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_each_field_and_nothing_is_written()
    {
        using var api = app.CreateApiScript();
        var before = await CountFactsAsync();

        using var response = await api.PostAsync("/api/memory/facts",
            """{ "subject": "  ", "predicate": "terms", "kind": "number", "value": "thirty", "scope": "Clients Team" }""");

        var problem = await ApiAssert.InvalidFieldsAsync(response, "subject", "value", "scope");
        Assert.Contains("JSON number", problem.GetProperty("errors").GetProperty("value")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountFactsAsync());
    }

    [Theory]
    [InlineData("""{ "subject": "Acme", "predicate": "x", "kind": "money", "value": 12 }""", "currency")]
    [InlineData("""{ "subject": "Acme", "predicate": "x", "kind": "colour", "value": "red" }""", "kind")]
    [InlineData("""{ "subject": "Acme", "predicate": "x", "kind": "date", "value": "next week" }""", "value")]
    [InlineData("""{ "subject": "Acme", "predicate": "x", "value": "y", "confidence": "high" }""", "confidence")]
    [InlineData("""{ "subject": "Acme", "predicate": "x", "value": "y", "confidence": 2 }""", "confidence")]
    [InlineData("""[ "not", "an", "object" ]""", "body")]
    [InlineData("""{ "subject": "Acme", """, "body")]
    public async Task Each_kind_of_bad_fact_names_its_field(string body, string field)
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/memory/facts", body);

        await ApiAssert.InvalidFieldsAsync(response, field);
    }

    [Fact]
    public async Task A_PUT_records_a_new_revision_and_changes_what_search_finds()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Umbrella Corp", "predicate": "preferred channel", "value": "carrierpigeon" }""");
        Assert.Equal(id, Assert.Single((await SearchAsync(api, "carrierpigeon")).EnumerateArray()).GetProperty("id").GetGuid());

        using var response = await api.PutAsync($"/api/memory/facts/{id}",
            """{ "value": "videoconference", "reason": "They asked for calls", "revision": 1 }""");

        var fact = await ApiScript.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(("videoconference", 2), (fact.GetProperty("value").GetString(), fact.GetProperty("revision").GetInt32()));
        Assert.Empty((await SearchAsync(api, "carrierpigeon")).EnumerateArray());
        var hit = Assert.Single((await SearchAsync(api, "videoconference")).EnumerateArray());
        Assert.Equal((id, "fact", 2), (hit.GetProperty("id").GetGuid(), hit.GetProperty("type").GetString(),
            hit.GetProperty("fact").GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task The_revisions_list_old_and_new_values_who_when_and_why_oldest_first()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Hooli", "predicate": "budget", "kind": "money", "value": 1000, "currency": "EUR" }""");
        using (await api.PutAsync($"/api/memory/facts/{id}", """{ "value": 1500.5, "currency": "EUR", "confidence": 0.7, "reason": "Q2 review" }"""))
        {
        }

        var revisions = (await api.GetJsonAsync($"/api/memory/facts/{id}/revisions")).EnumerateArray().ToList();

        Assert.Equal([1, 2], revisions.Select(r => r.GetProperty("number").GetInt32()));
        Assert.Equal(JsonValueKind.Null, revisions[0].GetProperty("old").ValueKind);
        var change = revisions[1];
        Assert.Equal((1000m, "EUR", 1.0), (change.GetProperty("old").GetProperty("value").GetDecimal(),
            change.GetProperty("old").GetProperty("currency").GetString(), change.GetProperty("old").GetProperty("confidence").GetDouble()));
        Assert.Equal((1500.5m, 0.7, "Q2 review"), (change.GetProperty("new").GetProperty("value").GetDecimal(),
            change.GetProperty("new").GetProperty("confidence").GetDouble(), change.GetProperty("reason").GetString()));
        var who = change.GetProperty("provenance");
        Assert.Equal(("Api", "operator"), (who.GetProperty("source").GetString(), who.GetProperty("actor").GetString()));
        Assert.True(who.GetProperty("at").GetDateTime() >= revisions[0].GetProperty("provenance").GetProperty("at").GetDateTime());
    }

    [Fact]
    public async Task A_PUT_from_a_stale_revision_is_a_409_and_the_value_stays()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Vandelay", "predicate": "status", "value": "prospect" }""");
        using (await api.PutAsync($"/api/memory/facts/{id}", """{ "value": "client", "revision": 1 }"""))
        {
        }

        using var response = await api.PutAsync($"/api/memory/facts/{id}", """{ "value": "lost", "revision": 1 }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "revision 2");
        Assert.Equal("client", (await api.GetJsonAsync($"/api/memory/facts/{id}")).GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_PUT_with_a_value_of_the_wrong_kind_is_a_400_naming_the_value()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Soylent", "predicate": "headcount", "kind": "number", "value": 12 }""");

        using var response = await api.PutAsync($"/api/memory/facts/{id}", """{ "value": "a dozen" }""");

        await ApiAssert.InvalidFieldsAsync(response, "value");
        Assert.Single((await api.GetJsonAsync($"/api/memory/facts/{id}/revisions")).EnumerateArray());
    }

    [Theory]
    [InlineData("GET", "/api/memory/facts/{id}")]
    [InlineData("PUT", "/api/memory/facts/{id}")]
    [InlineData("GET", "/api/memory/facts/{id}/revisions")]
    [InlineData("POST", "/api/memory/facts/{id}/revert")]
    public async Task An_unknown_fact_is_a_404_problem(string method, string path)
    {
        using var api = app.CreateApiScript();

        using var response = await api.SendAsync(method, ContractEndpoints.Concrete(path), """{ "value": "x" }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "does not exist");
    }

    [Fact]
    public async Task A_revert_restores_an_old_value_as_a_new_revision_and_keeps_the_history()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Cyberdyne", "predicate": "discount percent", "kind": "number", "value": 5, "confidence": 0.9 }""");
        using (await api.PutAsync($"/api/memory/facts/{id}", """{ "value": 50, "confidence": 0.4, "reason": "typo?" }"""))
        {
        }

        using var response = await api.PostAsync($"/api/memory/facts/{id}/revert",
            """{ "toRevision": 1, "reason": "50 was a typo", "revision": 2 }""");

        var fact = await ApiScript.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal((5.0, 0.9, 3), (fact.GetProperty("value").GetDouble(), fact.GetProperty("confidence").GetDouble(),
            fact.GetProperty("revision").GetInt32()));
        var revisions = (await api.GetJsonAsync($"/api/memory/facts/{id}/revisions")).EnumerateArray().ToList();
        Assert.Equal([5.0, 50.0, 5.0], revisions.Select(r => r.GetProperty("new").GetProperty("value").GetDouble()));
        var revert = revisions[2];
        Assert.Equal((50.0, "Reverted to revision 1: 50 was a typo", "Api"), (revert.GetProperty("old").GetProperty("value").GetDouble(),
            revert.GetProperty("reason").GetString(), revert.GetProperty("provenance").GetProperty("source").GetString()));
        Assert.Equal(5.0, (await api.GetJsonAsync($"/api/memory/facts/{id}")).GetProperty("value").GetDouble());
    }

    [Theory]
    [InlineData("""{ "reason": "no revision named" }""", "toRevision")]
    [InlineData("""{ "toRevision": 7 }""", "toRevision")]
    [InlineData("""{ "toRevision": 2 }""", "toRevision")]
    [InlineData("""{ "toRevision": "first" }""", "toRevision")]
    [InlineData("""{ "toRevision": 1, "reason": 42 }""", "reason")]
    [InlineData("""not json""", "body")]
    public async Task A_revert_that_cannot_be_done_is_a_400_naming_the_field_and_nothing_changes(string body, string field)
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Tyrell", "predicate": "tier", "value": "gold" }""");
        using (await api.PutAsync($"/api/memory/facts/{id}", """{ "value": "platinum" }"""))
        {
        }

        using var response = await api.PostAsync($"/api/memory/facts/{id}/revert", body);

        await ApiAssert.InvalidFieldsAsync(response, field);
        Assert.Equal(2, (await api.GetJsonAsync($"/api/memory/facts/{id}/revisions")).GetArrayLength());
    }

    [Fact]
    public async Task A_revert_from_a_stale_revision_is_a_409_and_the_value_stays()
    {
        using var api = app.CreateApiScript();
        var id = await AddAsync(api, """{ "subject": "Oscorp", "predicate": "owner", "value": "Norman" }""");
        using (await api.PutAsync($"/api/memory/facts/{id}", """{ "value": "Harry" }"""))
        {
        }

        using (await api.PutAsync($"/api/memory/facts/{id}", """{ "value": "Board" }"""))
        {
        }

        using var response = await api.PostAsync($"/api/memory/facts/{id}/revert", """{ "toRevision": 1, "revision": 2 }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "revision 3");
        Assert.Equal("Board", (await api.GetJsonAsync($"/api/memory/facts/{id}")).GetProperty("value").GetString());
    }

    [Fact]
    public async Task An_empty_subject_and_a_value_of_the_wrong_type_are_problem_details_naming_both()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/memory/facts", """{ "subject": "", "predicate": "founded", "kind": "date", "value": 1999 }""");

        var problem = await ApiAssert.InvalidFieldsAsync(response, "subject", "value");
        Assert.Equal("Invalid", problem.GetProperty("title").GetString());
        Assert.Contains("subject", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("yyyy-MM-dd", problem.GetProperty("errors").GetProperty("value")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ranks_subject_matches_first_and_keeps_to_a_scope()
    {
        using var api = app.CreateApiScript();
        var inValue = await AddAsync(api, """{ "subject": "Wayne Enterprises", "predicate": "supplier", "value": "Zorgtech", "scope": "clients:wayne" }""");
        var inSubject = await AddAsync(api, """{ "subject": "Zorgtech", "predicate": "industry", "value": "Robotics" }""");

        var ranked = (await SearchAsync(api, "ZORGTECH")).EnumerateArray().ToList();
        var scoped = (await api.GetJsonAsync("/api/memory/search?q=zorgtech&scope=clients:wayne&type=fact")).EnumerateArray().ToList();

        Assert.Equal([inSubject, inValue], ranked.Select(h => h.GetProperty("id").GetGuid()));
        Assert.True(ranked[0].GetProperty("score").GetDouble() > ranked[1].GetProperty("score").GetDouble());
        Assert.Equal(inValue, Assert.Single(scoped).GetProperty("id").GetGuid());
        Assert.Equal("Api", ranked[0].GetProperty("fact").GetProperty("provenance").GetProperty("source").GetString());
        // No embeddings model here: every hit was found by its words.
        Assert.All(ranked, h => Assert.Equal("text", h.GetProperty("match").GetString()));
    }

    [Fact]
    public async Task Search_parameters_that_do_not_fit_are_a_400_naming_each()
    {
        using var api = app.CreateApiScript();

        using var response = await api.GetAsync("/api/memory/search?q=acme&type=gossip&scope=Not%20A%20Scope&limit=1000");

        await ApiAssert.InvalidFieldsAsync(response, "type", "scope", "limit");
    }

    private static async Task<Guid> AddAsync(ApiScript api, string body)
    {
        using var response = await api.PostAsync("/api/memory/facts", body);
        return (await ApiScript.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static Task<JsonElement> SearchAsync(ApiScript api, string q) => api.GetJsonAsync($"/api/memory/search?q={Uri.EscapeDataString(q)}");

    private async Task<int> CountFactsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(ApiScript.Ct);
        return await db.Facts.CountAsync(ApiScript.Ct);
    }
}
