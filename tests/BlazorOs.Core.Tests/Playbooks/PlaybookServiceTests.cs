using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Tests.Activities;
using Microsoft.EntityFrameworkCore;
using static BlazorOs.Core.Tests.Playbooks.PlaybookDocuments;

namespace BlazorOs.Core.Tests.Playbooks;

/// <summary>
/// Import and versioning on a real SQLite store. Invariants: what is stored is the canonical JSON of a valid
/// document; an invalid document is refused with all its problems and leaves nothing behind.
/// </summary>
public sealed class PlaybookServiceTests : IAsyncLifetime
{
    private ActivityHarness _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PlaybookService Service => _store.Get<PlaybookService>();

    public async ValueTask InitializeAsync() => _store = await ActivityHarness.CreateWithStoreAsync(s => s.AddBlazorOsPlaybooks());

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private BlazorOsDbContext NewContext() => _store.Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContext();

    [Fact]
    public async Task Importing_a_valid_document_stores_the_playbook_and_version_1_as_canonical_json()
    {
        var saved = await Service.ImportAsync(ContractExample, Ct);

        Assert.Equal(1, saved.Version);
        await using var db = NewContext();
        var playbook = await db.Playbooks.Include(p => p.Versions).SingleAsync(Ct);
        Assert.Equal((saved.Id, "Lead follow-up", "Draft, approve and send a follow-up to a new lead.", DelegationLevel.Approval, 1),
            (playbook.Id, playbook.Name, playbook.Description, playbook.Delegation, playbook.LatestVersion));
        var version = Assert.Single(playbook.Versions);
        Assert.Equal(PlaybookDefinition.SchemaV1, version.Schema);
        Assert.Equal(PlaybookDocument.ToJson(Parse(ContractExample).Definition!), version.Definition);
        Assert.Equal(version.Definition, await Service.GetVersionAsync(saved.Id, 1, Ct));
    }

    [Fact]
    public async Task Importing_an_invalid_document_throws_with_every_problem_and_saves_nothing()
    {
        var json = With(d =>
        {
            d["delegation"] = "maybe";
            d.Node("send")["settings"]!["url"] = "not a url";
            d.AddEdge("send", "nowhere");
        });

        var ex = await Assert.ThrowsAsync<PlaybookValidationException>(() => Service.ImportAsync(json, Ct));

        Assert.Equal([(null, "delegation"), ("send", "settings.url"), ("send", "edges[5].to")], ex.Problems.Select(p => (p.NodeId, p.Field)));
        Assert.Contains("settings.url", ex.Message, StringComparison.Ordinal);
        await using var db = NewContext();
        Assert.Equal((0, 0), (await db.Playbooks.CountAsync(Ct), await db.PlaybookVersions.CountAsync(Ct)));
    }

    [Fact]
    public async Task Saving_a_new_document_adds_version_2_and_takes_its_name_and_delegation()
    {
        var saved = await Service.ImportAsync(ContractExample, Ct);
        var changed = With(d =>
        {
            d["name"] = "Lead follow-up (EU)";
            d["delegation"] = "supervised";
            d.Node("review")["settings"]!["timeoutMinutes"] = 60;
        });

        var next = await Service.SaveVersionAsync(saved.Id, changed, Ct);

        Assert.Equal(new PlaybookVersionRef(saved.Id, 2), next);
        var playbook = (await Service.GetAsync(saved.Id, Ct))!;
        Assert.Equal(("Lead follow-up (EU)", DelegationLevel.Supervised, 2), (playbook.Name, playbook.Delegation, playbook.LatestVersion));
        Assert.Equal([1, 2], playbook.Versions.Select(v => v.Number).Order());
        var v2 = JsonNode.Parse((await Service.GetVersionAsync(saved.Id, 2, Ct))!)!;
        Assert.Equal(60, v2["nodes"]![2]!["settings"]!["timeoutMinutes"]!.GetValue<int>());
        Assert.Equal(1440, JsonNode.Parse((await Service.GetVersionAsync(saved.Id, 1, Ct))!)!["nodes"]![2]!["settings"]!["timeoutMinutes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Saving_the_same_document_again_keeps_the_latest_version()
    {
        var saved = await Service.ImportAsync(ContractExample, Ct);

        var again = await Service.SaveVersionAsync(saved.Id, ContractExample, Ct);

        Assert.Equal(saved, again);
        await using var db = NewContext();
        Assert.Equal(1, await db.PlaybookVersions.CountAsync(Ct));
    }

    [Fact]
    public async Task Saving_an_invalid_document_keeps_the_playbook_as_it_was()
    {
        var saved = await Service.ImportAsync(ContractExample, Ct);

        await Assert.ThrowsAsync<PlaybookValidationException>(() => Service.SaveVersionAsync(saved.Id, With(d => d["name"] = ""), Ct));

        var playbook = (await Service.GetAsync(saved.Id, Ct))!;
        Assert.Equal(("Lead follow-up", 1), (playbook.Name, playbook.LatestVersion));
    }

    [Fact]
    public async Task Saving_to_a_playbook_that_does_not_exist_throws_key_not_found()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Service.SaveVersionAsync(Guid.NewGuid(), ContractExample, Ct));
    }

    [Fact]
    public async Task Two_saves_at_once_get_consecutive_versions()
    {
        var saved = await Service.ImportAsync(ContractExample, Ct);

        var results = await Task.WhenAll(
            Service.SaveVersionAsync(saved.Id, With(d => d["name"] = "A"), Ct),
            Service.SaveVersionAsync(saved.Id, With(d => d["name"] = "B"), Ct));

        Assert.Equal([2, 3], results.Select(r => r.Version).Order());
    }

    [Fact]
    public async Task An_exported_version_imports_again_unchanged()
    {
        var saved = await Service.ImportAsync(ContractExample, Ct);
        var exported = (await Service.GetVersionAsync(saved.Id, 1, Ct))!;

        var copy = await Service.ImportAsync(exported, Ct);

        Assert.Equal(exported, await Service.GetVersionAsync(copy.Id, 1, Ct));
    }

    [Fact]
    public async Task The_engine_gets_the_parsed_definition_of_a_version()
    {
        var saved = await Service.ImportAsync(ContractExample, Ct);
        await using var db = NewContext();
        var versionId = await db.PlaybookVersions.Where(v => v.PlaybookId == saved.Id).Select(v => v.Id).SingleAsync(Ct);

        var definition = await Service.GetDefinitionAsync(versionId, Ct);

        Assert.Equal(["start", "draft", "review", "send", "done", "dropped"], definition.Nodes.Select(n => n.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Service.GetDefinitionAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Missing_versions_and_playbooks_read_as_null_and_the_list_is_by_name()
    {
        var lead = await Service.ImportAsync(ContractExample, Ct);
        await Service.ImportAsync(With(d => d["name"] = "Invoices"), Ct);

        Assert.Null(await Service.GetVersionAsync(lead.Id, 2, Ct));
        Assert.Null(await Service.GetAsync(Guid.NewGuid(), Ct));
        Assert.Equal(["Invoices", "Lead follow-up"], (await Service.ListAsync(Ct)).Select(p => p.Name));
    }
}
