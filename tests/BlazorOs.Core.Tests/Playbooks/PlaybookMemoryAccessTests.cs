using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Tests.Playbooks;

/// <summary>
/// The optional playbook-level <c>memory</c> block: read and write lists of scope patterns. Without it a playbook keeps
/// reading and writing every scope (documents written before scopes were enforced still run as they did).
/// </summary>
public sealed class PlaybookMemoryAccessTests
{
    [Fact]
    public void Without_a_memory_block_every_scope_may_be_read_and_written_and_the_export_adds_none()
    {
        var definition = PlaybookDocument.Parse(PlaybookDocuments.ContractExample, PlaybookDocuments.Catalog).Definition!;

        Assert.Same(MemoryAccess.Unrestricted, definition.Memory);
        Assert.True(definition.Memory.Write.Allows("anything:at-all"));
        Assert.Null(JsonNode.Parse(PlaybookDocument.ToJson(definition))!["memory"]);
    }

    [Fact]
    public void A_memory_block_is_read_enforced_by_pattern_and_written_back_in_the_canonical_form()
    {
        var json = PlaybookDocuments.With(d => d["memory"] = JsonNode.Parse("""{ "read": ["business", "clients:*"] }"""));

        var definition = PlaybookDocument.Parse(json, PlaybookDocuments.Catalog).Definition!;

        Assert.True(definition.Memory.Read.Allows("clients:acme"));
        Assert.True(definition.Memory.Read.Allows("clients"));
        Assert.False(definition.Memory.Read.Allows("clientsx"));
        Assert.False(definition.Memory.Read.Allows("private"));
        // A list left out of a declared block allows nothing.
        Assert.False(definition.Memory.Write.Allows("business"));
        var again = PlaybookDocument.Parse(PlaybookDocument.ToJson(definition), PlaybookDocuments.Catalog).Definition!;
        Assert.Equal(["business", "clients:*"], again.Memory.Read.Patterns);
        Assert.Empty(again.Memory.Write.Patterns);
    }

    [Fact]
    public void Bad_patterns_and_unknown_fields_are_each_reported()
    {
        var json = PlaybookDocuments.With(d => d["memory"] = JsonNode.Parse("""{ "read": ["Clients", "ok", 3], "write": "business", "delete": [] }"""));

        var result = PlaybookDocument.Parse(json, PlaybookDocuments.Catalog);

        Assert.Null(result.Definition);
        Assert.Equal(["memory.delete", "memory.read[0]", "memory.read[2]", "memory.write"], result.Problems.Select(p => p.Field).Order());
    }
}
