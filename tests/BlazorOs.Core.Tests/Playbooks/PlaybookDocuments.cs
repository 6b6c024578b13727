using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Tests.Activities;

namespace BlazorOs.Core.Tests.Playbooks;

/// <summary>The CONTRACTS §1 example and helpers to break it one rule at a time.</summary>
internal static class PlaybookDocuments
{
    public const string ContractExample = """
        {
          "schema": "blazoros/playbook@1",
          "name": "Lead follow-up",
          "description": "Draft, approve and send a follow-up to a new lead.",
          "delegation": "approval",
          "inputs":  [{ "name": "lead_email", "type": "string", "required": true }],
          "kpis":    [{ "name": "followups_sent", "unit": "count" }],
          "nodes": [
            { "id": "start", "kind": "trigger.manual", "label": "Start", "position": { "x": 0, "y": 0 } },
            { "id": "draft", "kind": "agent", "label": "Draft email",
              "settings": { "prompt": "Write a short follow-up to {{ inputs.lead_email }}.", "tier": "task", "tools": ["memory.search"] },
              "retry": { "maxAttempts": 3, "backoff": "exponential", "initialDelayMs": 500 }, "timeoutMs": 60000 },
            { "id": "review", "kind": "approval", "label": "Send it?",
              "settings": { "question": "Send this email?", "show": "{{ steps.draft.output }}", "timeoutMinutes": 1440, "onTimeout": "reject" } },
            { "id": "send", "kind": "http", "label": "Send",
              "settings": { "method": "POST", "url": "http://127.0.0.1:9/mail", "body": "{{ steps.draft.output }}" } },
            { "id": "done", "kind": "end", "settings": { "outcome": "sent", "kpi": { "followups_sent": 1 } } },
            { "id": "dropped", "kind": "end", "settings": { "outcome": "dropped" } }
          ],
          "edges": [
            { "from": "start",  "to": "draft" },
            { "from": "draft",  "to": "review" },
            { "from": "review", "port": "approved", "to": "send" },
            { "from": "review", "port": "rejected", "to": "dropped" },
            { "from": "send",   "to": "done" }
          ]
        }
        """;

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
