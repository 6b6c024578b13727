using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>
/// Reads a playbook document into a draft and writes a draft back as one. Reading is lenient where validation is
/// strict: a file with a missing prompt or an unknown kind still opens, so it can be fixed on the canvas (the
/// validator then shows what is wrong). Only what cannot be drawn at all (a node without an id, an edge without both
/// ends) is left out. Writing goes through <see cref="PlaybookDocument.ToJson"/>, so a draft's export has the
/// canonical form that a saved version has.
/// </summary>
public static class DraftDocument
{
    /// <summary>The draft of a JSON document; throws <see cref="FormatException"/> when the text is not a JSON object.</summary>
    public static DraftState Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = PlaybookDocument.MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The file is not valid JSON: {ex.Message}", ex);
        }

        if (root is not JsonObject document)
        {
            throw new FormatException("The file is not a playbook: it must hold a JSON object.");
        }

        var info = new DraftInfo(
            Text(document["name"]) ?? "Untitled playbook",
            Text(document["description"]),
            Text(document["delegation"]) switch
            {
                "delegated" => DelegationLevel.Delegated,
                "supervised" => DelegationLevel.Supervised,
                _ => DelegationLevel.Approval,
            },
            [.. Objects(document["inputs"]).Where(i => Text(i["name"]) is not null)
                .Select(i => new PlaybookInput(Text(i["name"])!, Text(i["type"]) ?? "string", i["required"]?.GetValueKind() == JsonValueKind.True, Text(i["description"])))],
            [.. Objects(document["kpis"]).Where(k => Text(k["name"]) is not null).Select(k => new PlaybookKpi(Text(k["name"])!, Text(k["unit"]) ?? ""))],
            Text(document["webhookSecret"]),
            Memory(document["memory"]));

        var nodes = new List<DraftNode>();
        foreach (var item in Objects(document["nodes"]))
        {
            if (Text(item["id"]) is not { } id || nodes.Exists(n => n.Id == id))
            {
                continue;
            }

            var position = item["position"] as JsonObject;
            nodes.Add(new DraftNode(id, Text(item["kind"]) ?? "unknown", Text(item["label"]),
                Number(position?["x"]) ?? nodes.Count * DraftCommand.StepGap, Number(position?["y"]) ?? 0,
                item["settings"] is JsonObject settings ? (JsonObject)settings.DeepClone() : [],
                Retry(item["retry"]), Number(item["timeoutMs"]) is { } timeout ? (int)timeout : null));
        }

        var ids = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var edges = Objects(document["edges"])
            .Select(e => (From: Text(e["from"]), Port: Text(e["port"]) ?? PlaybookEdge.DefaultPort, To: Text(e["to"])))
            .Where(e => e.From is not null && e.To is not null && ids.Contains(e.From) && ids.Contains(e.To))
            .Select(e => new DraftEdge(e.From!, e.Port, e.To!))
            .Distinct()
            .ToImmutableList();
        return new DraftState(info, [.. nodes], edges);
    }

    /// <summary>The draft as a <c>blazoros/playbook@1</c> document in canonical form (valid or not).</summary>
    public static string Write(DraftState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var info = state.Info;
        var json = PlaybookDocument.ToJson(new PlaybookDefinition(PlaybookDefinition.SchemaV1, info.Name,
            string.IsNullOrWhiteSpace(info.Description) ? null : info.Description, info.Delegation, info.Inputs, info.Kpis,
            [.. state.Nodes.Select(n => new PlaybookNode(n.Id, n.Kind, n.Label, new NodePosition(n.X, n.Y), n.Settings, n.Retry, n.TimeoutMs))],
            [.. state.Edges.Select(e => new PlaybookEdge(e.From, e.Port, e.To))],
            string.IsNullOrEmpty(info.WebhookSecret) ? null : info.WebhookSecret));
        if (info.Memory is null)
        {
            return json;
        }

        // Written as typed, after the canonical fields: the validator reads it back and names any bad pattern.
        var document = JsonNode.Parse(json)!.AsObject();
        document["memory"] = new JsonObject
        {
            ["read"] = new JsonArray([.. info.Memory.Read.Select(p => JsonValue.Create(p))]),
            ["write"] = new JsonArray([.. info.Memory.Write.Select(p => JsonValue.Create(p))]),
        };
        return document.ToJsonString(PlaybookDocument.WriteOptions);
    }

    private static DraftMemory? Memory(JsonNode? node) =>
        node is JsonObject block ? new DraftMemory(Strings(block["read"]), Strings(block["write"])) : null;

    private static ImmutableList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(Text).OfType<string>()] : [];

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node is JsonArray array ? array.OfType<JsonObject>() : [];

    private static string? Text(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static double? Number(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.Number
        && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    private static RetryPolicy? Retry(JsonNode? node) =>
        node is JsonObject retry && Number(retry["maxAttempts"]) is { } attempts
            ? new RetryPolicy((int)attempts, Text(retry["backoff"]) ?? "fixed", (int)(Number(retry["initialDelayMs"]) ?? 0))
            : null;
}
