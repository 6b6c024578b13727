using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Tests.Activities;

namespace BlazorOs.Core.Tests.Playbooks;

/// <summary>The CONTRACTS §1 example and helpers to break it one rule at a time.</summary>
internal static class PlaybookDocuments
{
    /// <summary>The example of CONTRACTS §1 (contract-example.json, which the Web and browser tests read too).</summary>
    public static readonly string ContractExample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Playbooks", "contract-example.json"));

    private static readonly Lazy<ActivityCatalog> SharedCatalog = new(() => ActivityHarness.Create().Catalog);

    /// <summary>The app's catalog. Activities are stateless singletons, so one catalog serves every test.</summary>
    public static ActivityCatalog Catalog => SharedCatalog.Value;

    public static JsonObject Example() => JsonNode.Parse(ContractExample)!.AsObject();

    /// <summary>The example with one change.</summary>
    public static string With(Action<JsonObject> change)
    {
        var document = Example();
        change(document);
        return document.ToJsonString();
    }

    public static JsonObject Node(this JsonObject document, string id) =>
        document["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == id)!.AsObject();

    public static JsonArray Nodes(this JsonObject document) => document["nodes"]!.AsArray();

    public static JsonArray Edges(this JsonObject document) => document["edges"]!.AsArray();

    public static void AddNode(this JsonObject document, string id, string kind, JsonObject? settings = null)
    {
        var node = new JsonObject { ["id"] = id, ["kind"] = kind };
        if (settings is not null)
        {
            node["settings"] = settings;
        }

        document.Nodes().Add(node);
    }

    public static void AddEdge(this JsonObject document, string from, string to, string? port = null)
    {
        var edge = new JsonObject { ["from"] = from, ["to"] = to };
        if (port is not null)
        {
            edge["port"] = port;
        }

        document.Edges().Add(edge);
    }

    public static PlaybookParseResult Parse(string json) => PlaybookDocument.Parse(json, Catalog);
}
