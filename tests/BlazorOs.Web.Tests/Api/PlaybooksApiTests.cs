using System.Net;
using System.Text.Json;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary>Import, list, read, version and export playbooks over HTTP. An invalid document saves nothing.</summary>
public sealed class PlaybooksApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task Importing_a_definition_answers_201_with_its_id_and_version_1()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/playbooks", ApiPlaybooks.Straight("Import me"));

        var created = await ApiScript.ReadAsync(response, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(1, created.GetProperty("version").GetInt32());
        Assert.Equal($"/api/playbooks/{id}", response.Headers.Location?.OriginalString);
        var detail = await api.GetJsonAsync($"/api/playbooks/{id}");
        Assert.Equal(("Import me", 1), (detail.GetProperty("name").GetString(), detail.GetProperty("latestVersion").GetInt32()));
        Assert.Contains(id, (await api.GetJsonAsync("/api/playbooks")).EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task An_invalid_definition_is_a_400_listing_every_problem_and_nothing_is_saved()
    {
        using var api = app.CreateApiScript();
        var invalid = ApiPlaybooks.With(
            """
            { "id": "done", "kind": "end" },
            { "id": "done", "kind": "teleport" },
            { "id": "lonely", "kind": "end" }
            """,
            """{ "from": "start", "to": "nowhere" }""", name: "Broken one");

        using var response = await api.PostAsync("/api/playbooks", invalid);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "Nothing was saved");
        var problems = problem.GetProperty("problems").EnumerateArray().ToList();
        Assert.True(problems.Count >= 3, problem.ToString());
        Assert.All(problems, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("message").GetString())));
        Assert.Contains(problems, p => p.GetProperty("field").GetString() == "id" && p.GetProperty("nodeId").GetString() == "done");
        Assert.Contains(problems, p => p.GetProperty("message").GetString()!.Contains("'teleport'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.GetProperty("nodeId").GetString() == "lonely");
        Assert.DoesNotContain("Broken one", (await api.GetJsonAsync("/api/playbooks")).EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_400_problem()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync("/api/playbooks", "{ not json");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PUT_saves_a_new_version_and_each_version_exports_its_own_definition()
    {
        using var api = app.CreateApiScript();
        var id = await api.ImportAsync(ApiPlaybooks.Straight("Versioned"));

        using var saved = await api.PutAsync($"/api/playbooks/{id}", ApiPlaybooks.Straight("Versioned, renamed"));

        var version = await ApiScript.ReadAsync(saved, HttpStatusCode.OK);
        Assert.Equal((id, 2), (version.GetProperty("id").GetGuid(), version.GetProperty("version").GetInt32()));
        var first = await api.GetJsonAsync($"/api/playbooks/{id}/versions/1");
        var second = await api.GetJsonAsync($"/api/playbooks/{id}/versions/2");
        Assert.Equal(("blazoros/playbook@1", "Versioned"), (first.GetProperty("schema").GetString(), first.GetProperty("name").GetString()));
        Assert.Equal("Versioned, renamed", second.GetProperty("name").GetString());
        Assert.Equal(["start", "done"], second.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        var detail = await api.GetJsonAsync($"/api/playbooks/{id}");
        Assert.Equal([2, 1], detail.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task The_export_reimports_as_the_same_playbook()
    {
        using var api = app.CreateApiScript();
        var id = await api.ImportAsync(ApiPlaybooks.Review("Round trip"));
        using var exported = await api.GetAsync($"/api/playbooks/{id}/versions/1");
        Assert.Equal("application/json", exported.Content.Headers.ContentType?.MediaType);
        var json = await exported.Content.ReadAsStringAsync(ApiScript.Ct);

        var copy = await api.ImportAsync(json);

        Assert.Equal(json, await api.Http.GetStringAsync(new Uri($"/api/playbooks/{copy}/versions/1", UriKind.Relative), ApiScript.Ct));
    }

    [Fact]
    public async Task An_invalid_new_version_is_a_400_and_the_latest_version_stays()
    {
        using var api = app.CreateApiScript();
        var id = await api.ImportAsync(ApiPlaybooks.Straight("Kept"));

        using var response = await api.PutAsync($"/api/playbooks/{id}", """{ "schema": "blazoros/playbook@1", "name": "" }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "Nothing was saved");
        Assert.Equal(1, (await api.GetJsonAsync($"/api/playbooks/{id}")).GetProperty("latestVersion").GetInt32());
    }

    [Theory]
    [InlineData("GET", "/api/playbooks/{id}")]
    [InlineData("PUT", "/api/playbooks/{id}")]
    [InlineData("GET", "/api/playbooks/{id}/versions/{number}")]
    public async Task An_unknown_playbook_is_a_404_problem(string method, string path)
    {
        using var api = app.CreateApiScript();

        using var response = await api.SendAsync(method, ContractEndpoints.Concrete(path), ApiPlaybooks.Straight());

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_version_of_a_known_playbook_is_a_404_problem()
    {
        using var api = app.CreateApiScript();
        var id = await api.ImportAsync(ApiPlaybooks.Straight("One version"));

        using var response = await api.GetAsync($"/api/playbooks/{id}/versions/7");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "has no version 7");
    }

    [Fact]
    public async Task The_list_carries_name_delegation_and_latest_version()
    {
        using var api = app.CreateApiScript();
        var id = await api.ImportAsync(ApiPlaybooks.Straight("Listed"));

        var listed = (await api.GetJsonAsync("/api/playbooks")).EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == id);

        Assert.Equal(("Listed", "Delegated", 1), (listed.GetProperty("name").GetString(), listed.GetProperty("delegation").GetString(),
            listed.GetProperty("latestVersion").GetInt32()));
        Assert.Equal(JsonValueKind.String, listed.GetProperty("updatedAt").ValueKind);
    }
}
