using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Memory;

namespace BlazorOs.Core.Playbooks.Definition;

/// <summary>A parsed document, or every problem found in it. <see cref="Definition"/> is set only when there are none.</summary>
public sealed record PlaybookParseResult(PlaybookDefinition? Definition, IReadOnlyList<PlaybookProblem> Problems)
{
    public bool IsValid => Definition is not null;
}

/// <summary>
/// Reads and writes <c>blazoros/playbook@1</c> documents (CONTRACTS §1). Reading checks limits first (size, nesting,
/// node and edge counts, string lengths) so hostile input is turned away cheaply, then the shape, each node's settings
/// through its activity, and the graph rules (<see cref="PlaybookGraphRules"/>), collecting every problem rather than
/// stopping at the first. Writing gives the canonical form stored for a version and served as the export.
/// </summary>
public static partial class PlaybookDocument
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDepth = 64;
    public const int MaxNodes = 1000;
    public const int MaxEdges = 4000;
    public const int MaxStringLength = 64 * 1024;
    public const int NameMaxLength = Playbook.NameMaxLength;
    public const int DescriptionMaxLength = 4000;
    public const int LabelMaxLength = 200;

    private static readonly string[] TopLevelFields = ["schema", "name", "description", "delegation", "inputs", "kpis", "nodes", "edges", "webhookSecret", "memory"];
    private static readonly string[] MemoryFields = ["read", "write"];
    private static readonly string[] InputFields = ["name", "type", "required", "description"];
    private static readonly string[] InputTypes = ["string", "number", "boolean", "object"];
    private static readonly string[] KpiFields = ["name", "unit"];
    private static readonly string[] NodeFields = ["id", "kind", "label", "position", "settings", "retry", "timeoutMs"];
    private static readonly string[] PositionFields = ["x", "y"];
    private static readonly string[] RetryFields = ["maxAttempts", "backoff", "initialDelayMs"];
    private static readonly string[] Backoffs = ["fixed", "exponential"];
    private static readonly string[] EdgeFields = ["from", "to", "port"];

    internal static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // The export is a file for people and tools, not HTML: keep <, >, & and non-ASCII text in prompts readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex NodeIdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex NamePattern();

    public static PlaybookParseResult Parse(string json, ActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(catalog);
        var problems = new ProblemList();

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            problems.Add(null, "document", $"The document is {bytes / (1024.0 * 1024):0.0} MiB; a playbook may be at most 1 MiB.");
            return problems.Result();
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException ex)
        {
            problems.Add(null, "document", DescribeJsonError(ex));
            return problems.Result();
        }

        if (root is not JsonObject document)
        {
            problems.Add(null, "document", "The document must be a JSON object.");
            return problems.Result();
        }

        if (document["nodes"] is JsonArray { Count: > MaxNodes } manyNodes)
        {
            problems.Add(null, "nodes", $"The playbook has {manyNodes.Count:N0} nodes; at most {MaxNodes:N0} are allowed.");
        }

        if (document["edges"] is JsonArray { Count: > MaxEdges } manyEdges)
        {
            problems.Add(null, "edges", $"The playbook has {manyEdges.Count:N0} edges; at most {MaxEdges:N0} are allowed.");
        }

        CheckStringLengths(document, problems);
        if (problems.Count > 0)
        {
            return problems.Result();
        }

        var definition = new DocumentReader(catalog, problems).Read(document);
        return problems.Count == 0 ? new PlaybookParseResult(definition, []) : problems.Result();
    }

    /// <summary>The canonical JSON of a definition: fixed field order, defaults written out, indented.</summary>
    public static string ToJson(PlaybookDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var document = new JsonObject { ["schema"] = definition.Schema, ["name"] = definition.Name };
        if (definition.Description is not null)
        {
            document["description"] = definition.Description;
        }

        document["delegation"] = DelegationName(definition.Delegation);
        document["inputs"] = new JsonArray([.. definition.Inputs.Select(input =>
        {
            var item = new JsonObject { ["name"] = input.Name, ["type"] = input.Type, ["required"] = input.Required };
            if (input.Description is not null)
            {
                item["description"] = input.Description;
            }

            return (JsonNode)item;
        })]);
        document["kpis"] = new JsonArray([.. definition.Kpis.Select(kpi => (JsonNode)new JsonObject { ["name"] = kpi.Name, ["unit"] = kpi.Unit })]);
        document["nodes"] = new JsonArray([.. definition.Nodes.Select(NodeJson)]);
        document["edges"] = new JsonArray([.. definition.Edges.Select(edge =>
        {
            var item = new JsonObject { ["from"] = edge.From };
            if (edge.Port != PlaybookEdge.DefaultPort)
            {
                item["port"] = edge.Port;
            }

            item["to"] = edge.To;
            return (JsonNode)item;
        })]);
        if (definition.WebhookSecret is not null)
        {
            document["webhookSecret"] = definition.WebhookSecret;
        }

        if (definition.Memory.Declared)
        {
            document["memory"] = new JsonObject
            {
                ["read"] = new JsonArray([.. definition.Memory.Read.Patterns.Select(p => JsonValue.Create(p))]),
                ["write"] = new JsonArray([.. definition.Memory.Write.Patterns.Select(p => JsonValue.Create(p))]),
            };
        }

        return document.ToJsonString(WriteOptions);
    }

    public static string DelegationName(DelegationLevel level) => level switch
    {
        DelegationLevel.Delegated => "delegated",
        DelegationLevel.Supervised => "supervised",
        _ => "approval",
    };

    private static JsonNode NodeJson(PlaybookNode node)
    {
        var item = new JsonObject { ["id"] = node.Id, ["kind"] = node.Kind };
        if (node.Label is not null)
        {
            item["label"] = node.Label;
        }

        if (node.Position is { } position)
        {
            item["position"] = new JsonObject { ["x"] = position.X, ["y"] = position.Y };
        }

        if (node.Settings.Count > 0)
        {
            item["settings"] = node.Settings.DeepClone();
        }

        if (node.Retry is { } retry)
        {
            item["retry"] = new JsonObject { ["maxAttempts"] = retry.MaxAttempts, ["backoff"] = retry.Backoff, ["initialDelayMs"] = retry.InitialDelayMs };
        }

        if (node.TimeoutMs is { } timeout)
        {
            item["timeoutMs"] = timeout;
        }

        return item;
    }

    private static string DescribeJsonError(JsonException ex)
    {
        if (ex.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"The document nests deeper than {MaxDepth} levels.";
        }

        // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …": say it once, counting from 1.
        var message = ex.Message;
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return ex.LineNumber is { } line
            ? $"Not valid JSON at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {message.Trim()}"
            : $"Not valid JSON: {message.Trim()}";
    }

    private static void CheckStringLengths(JsonNode root, ProblemList problems)
    {
        var pending = new Stack<(JsonNode Node, string Path)>();
        pending.Push((root, ""));
        while (pending.Count > 0)
        {
            var (node, path) = pending.Pop();
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj)
                    {
                        var at = path.Length == 0 ? name : $"{path}.{name}";
                        if (name.Length > MaxStringLength)
                        {
                            problems.Add(null, path.Length == 0 ? "document" : path, $"A field name is longer than {MaxStringLength / 1024} KiB.");
                        }
                        else if (value is not null)
                        {
                            pending.Push((value, at));
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is { } item)
                        {
                            pending.Push((item, $"{path}[{i}]"));
                        }
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > MaxStringLength:
                    problems.Add(null, path, $"The text is longer than {MaxStringLength / 1024} KiB.");
                    break;
            }
        }
    }

    /// <summary>Reads one document into a definition, reporting every problem of shape and settings on the way.</summary>
    private sealed class DocumentReader(ActivityCatalog catalog, ProblemList problems)
    {
        public PlaybookDefinition? Read(JsonObject document)
        {
            Unknown(document, null, "", TopLevelFields);
            var schema = Text(document, "schema", null, "schema", required: true);
            if (schema is not null && schema != PlaybookDefinition.SchemaV1)
            {
                problems.Add(null, "schema", $"Unsupported schema '{schema}': this version reads '{PlaybookDefinition.SchemaV1}'.");
            }

            var name = Text(document, "name", null, "name", required: true)?.Trim();
            if (name is not null && name.Length is 0 or > NameMaxLength)
            {
                problems.Add(null, "name", $"A name has 1 to {NameMaxLength} characters.");
            }

            var description = Text(document, "description", null, "description");
            if (description?.Length > DescriptionMaxLength)
            {
                problems.Add(null, "description", $"A description is at most {DescriptionMaxLength} characters.");
            }

            var delegation = Delegation(document);
            var inputs = Inputs(document["inputs"]);
            var kpis = Kpis(document["kpis"]);
            var nodes = Nodes(document["nodes"]);
            var (edges, links) = Edges(document["edges"], nodes);
            var secret = Text(document, "webhookSecret", null, "webhookSecret");
            if (secret is not null && secret.Length is < 16 or > 200)
            {
                problems.Add(null, "webhookSecret", "A webhook secret has 16 to 200 characters.");
            }

            var memory = Memory(document["memory"]);

            PlaybookGraphRules.Check(nodes, edges, links, kpis, secret, problems);
            if (problems.Count > 0)
            {
                return null;
            }

            return new PlaybookDefinition(PlaybookDefinition.SchemaV1, name!, string.IsNullOrWhiteSpace(description) ? null : description,
                delegation, inputs, kpis, [.. nodes.Select(n => n.Node!)], [.. edges.Select(e => e.Edge)], secret)
            {
                Memory = memory,
            };
        }

        /// <summary>The optional <c>memory</c> block: <c>read</c> and <c>write</c> lists of scope patterns.</summary>
        private MemoryAccess Memory(JsonNode? node)
        {
            if (node is null)
            {
                return MemoryAccess.Unrestricted;
            }

            if (node is not JsonObject block)
            {
                problems.Add(null, "memory", "Must be an object with 'read' and 'write' lists of scopes.");
                return MemoryAccess.Unrestricted;
            }

            Unknown(block, null, "memory", MemoryFields);
            return new MemoryAccess(Scopes(block["read"], "memory.read"), Scopes(block["write"], "memory.write"));
        }

        private MemoryScopeSet Scopes(JsonNode? node, string at)
        {
            if (node is null)
            {
                return MemoryScopeSet.None;
            }

            var patterns = new List<string>();
            if (node is not JsonArray list)
            {
                problems.Add(null, at, "Must be a list of scopes, e.g. [\"business\", \"clients:*\"].");
                return MemoryScopeSet.None;
            }

            for (var i = 0; i < list.Count; i++)
            {
                var pattern = list[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
                if (!MemoryScopeSet.IsValidPattern(pattern))
                {
                    problems.Add(null, $"{at}[{i}]", $"Not a scope pattern: use a scope ({MemoryScope.FormatDescription}), a family such as clients:*, or *.");
                    continue;
                }

                patterns.Add(pattern!);
            }

            return MemoryScopeSet.Of(patterns);
        }

        private DelegationLevel Delegation(JsonObject document)
        {
            var text = Text(document, "delegation", null, "delegation");
            switch (text)
            {
                case null or "approval":
                    return DelegationLevel.Approval;
                case "delegated":
                    return DelegationLevel.Delegated;
                case "supervised":
                    return DelegationLevel.Supervised;
                default:
                    problems.Add(null, "delegation", $"'{text}' is not a delegation level: use delegated, approval or supervised.");
                    return DelegationLevel.Approval;
            }
        }

        private List<PlaybookInput> Inputs(JsonNode? node)
        {
            var inputs = new List<PlaybookInput>();
            foreach (var (item, i) in Items(node, "inputs"))
            {
                var at = $"inputs[{i}]";
                Unknown(item, null, at, InputFields);
                var name = Text(item, "name", null, $"{at}.name", required: true);
                if (name is not null && !NamePattern().IsMatch(name))
                {
                    problems.Add(null, $"{at}.name", $"'{name}' is not a valid input name: letters, digits and _, starting with a letter or _.");
                }
                else if (name is not null && inputs.Any(x => x.Name == name))
                {
                    problems.Add(null, $"{at}.name", $"The input '{name}' is declared twice.");
                }

                var type = Text(item, "type", null, $"{at}.type") ?? "string";
                if (!InputTypes.Contains(type, StringComparer.Ordinal))
                {
                    problems.Add(null, $"{at}.type", $"'{type}' is not an input type: use {string.Join(", ", InputTypes)}.");
                }

                var required = Bool(item, "required", null, $"{at}.required") ?? false;
                var description = Text(item, "description", null, $"{at}.description");
                if (name is not null)
                {
                    inputs.Add(new PlaybookInput(name, type, required, description));
                }
            }

            return inputs;
        }

        private List<PlaybookKpi> Kpis(JsonNode? node)
        {
            var kpis = new List<PlaybookKpi>();
            foreach (var (item, i) in Items(node, "kpis"))
            {
                var at = $"kpis[{i}]";
                Unknown(item, null, at, KpiFields);
                var name = Text(item, "name", null, $"{at}.name", required: true);
                if (name is not null && !NamePattern().IsMatch(name))
                {
                    problems.Add(null, $"{at}.name", $"'{name}' is not a valid KPI name: letters, digits and _, starting with a letter or _.");
                }
                else if (name is not null && kpis.Any(x => x.Name == name))
                {
                    problems.Add(null, $"{at}.name", $"The KPI '{name}' is declared twice.");
                }

                var unit = Text(item, "unit", null, $"{at}.unit") ?? "";
                if (unit.Length > 64)
                {
                    problems.Add(null, $"{at}.unit", "A unit is at most 64 characters.");
                }

                if (name is not null)
                {
                    kpis.Add(new PlaybookKpi(name, unit));
                }
            }

            return kpis;
        }

        private List<ParsedNode> Nodes(JsonNode? node)
        {
            var nodes = new List<ParsedNode>();
            if (node is null)
            {
                problems.Add(null, "nodes", "Required: a playbook needs nodes, at least its trigger.");
                return nodes;
            }

            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (item, i) in Items(node, "nodes"))
            {
                var rawId = item["id"];
                var id = rawId?.GetValueKind() == JsonValueKind.String ? rawId.GetValue<string>() : null;
                string? nodeId = null;
                if (id is null)
                {
                    problems.Add(null, $"nodes[{i}].id", rawId is null ? "Required." : "Must be a string.");
                }
                else if (!NodeIdPattern().IsMatch(id))
                {
                    problems.Add(null, $"nodes[{i}].id", $"'{Short(id)}' is not a valid node id: 1 to 64 of a-z, 0-9, _ and -.");
                }
                else if (ids.TryGetValue(id, out var first))
                {
                    problems.Add(id, "id", $"Duplicate id: nodes[{first}] and nodes[{i}] are both '{id}'.");
                }
                else
                {
                    ids[id] = i;
                    nodeId = id;
                }

                // Problems of a node without a usable id are located by its index instead.
                var prefix = nodeId is null ? $"nodes[{i}]." : "";
                Unknown(item, nodeId, prefix.TrimEnd('.'), NodeFields);
                var kind = Text(item, "kind", nodeId, $"{prefix}kind", required: true);
                IActivity? activity = null;
                if (kind is not null && !catalog.TryGet(kind, out activity))
                {
                    problems.Add(nodeId, $"{prefix}kind", $"Unknown kind '{kind}'. Known kinds: {string.Join(", ", catalog.Descriptors.Select(d => d.Kind))}.");
                    activity = null;
                }

                var label = Text(item, "label", nodeId, $"{prefix}label");
                if (label?.Length > LabelMaxLength)
                {
                    problems.Add(nodeId, $"{prefix}label", $"A label is at most {LabelMaxLength} characters.");
                }

                var position = Position(item["position"], nodeId, $"{prefix}position");
                var settings = new JsonObject();
                switch (item["settings"])
                {
                    case null:
                        break;
                    case JsonObject given:
                        settings = (JsonObject)given.DeepClone();
                        break;
                    default:
                        problems.Add(nodeId, $"{prefix}settings", "Must be an object.");
                        break;
                }

                if (activity is not null)
                {
                    foreach (var problem in activity.Validate(settings))
                    {
                        problems.Add(nodeId, $"{prefix}settings.{problem.Field}", problem.Message);
                    }
                }

                var retry = Retry(item["retry"], nodeId, $"{prefix}retry");
                var timeout = Int(item, "timeoutMs", nodeId, $"{prefix}timeoutMs", 1, 3_600_000);
                var parsed = nodeId is not null && kind is not null
                    ? new PlaybookNode(nodeId, kind, label, position, settings, retry, timeout)
                    : null;
                if (nodeId is not null)
                {
                    nodes.Add(new ParsedNode(nodeId, kind, activity, settings, parsed));
                }
            }

            return nodes;
        }

        private NodePosition? Position(JsonNode? node, string? nodeId, string at)
        {
            if (node is null)
            {
                return null;
            }

            if (node is not JsonObject position)
            {
                problems.Add(nodeId, at, "Must be an object { \"x\": …, \"y\": … }.");
                return null;
            }

            Unknown(position, nodeId, at, PositionFields);
            var x = Number(position, "x", nodeId, $"{at}.x", required: true);
            var y = Number(position, "y", nodeId, $"{at}.y", required: true);
            return x is { } px && y is { } py ? new NodePosition(px, py) : null;
        }

        private RetryPolicy? Retry(JsonNode? node, string? nodeId, string at)
        {
            if (node is null)
            {
                return null;
            }

            if (node is not JsonObject retry)
            {
                problems.Add(nodeId, at, "Must be an object { \"maxAttempts\", \"backoff\", \"initialDelayMs\" }.");
                return null;
            }

            Unknown(retry, nodeId, at, RetryFields);
            var attempts = Int(retry, "maxAttempts", nodeId, $"{at}.maxAttempts", 1, 10, required: true);
            var backoff = Text(retry, "backoff", nodeId, $"{at}.backoff") ?? "fixed";
            if (!Backoffs.Contains(backoff, StringComparer.Ordinal))
            {
                problems.Add(nodeId, $"{at}.backoff", $"'{backoff}' is not a backoff: use fixed or exponential.");
            }

            var delay = Int(retry, "initialDelayMs", nodeId, $"{at}.initialDelayMs", 0, 600_000) ?? 0;
            return attempts is { } max ? new RetryPolicy(max, backoff, delay) : null;
        }

        /// <summary>
        /// The valid edges, and the links: every edge between two existing nodes, valid or not. Reachability follows
        /// the links, so one wrong port is reported once instead of again as every node behind it being unreachable.
        /// </summary>
        private (List<ParsedEdge> Edges, List<(string From, string To)> Links) Edges(JsonNode? node, List<ParsedNode> nodes)
        {
            var edges = new List<ParsedEdge>();
            var links = new List<(string From, string To)>();
            var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
            var seen = new HashSet<(string, string, string)>();
            foreach (var (item, i) in Items(node, "edges"))
            {
                var at = $"edges[{i}]";
                var rawFrom = item["from"];
                var fromId = rawFrom?.GetValueKind() == JsonValueKind.String ? rawFrom.GetValue<string>() : null;
                var owner = fromId is not null && byId.ContainsKey(fromId) ? fromId : null;
                Unknown(item, owner, at, EdgeFields);
                var from = Text(item, "from", owner, $"{at}.from", required: true);
                var to = Text(item, "to", owner, $"{at}.to", required: true);
                var port = Text(item, "port", owner, $"{at}.port") ?? PlaybookEdge.DefaultPort;
                var ok = from is not null && to is not null;
                if (from is not null && !byId.ContainsKey(from))
                {
                    problems.Add(null, $"{at}.from", $"There is no node '{Short(from)}'.");
                    ok = false;
                }

                if (to is not null && !byId.ContainsKey(to))
                {
                    problems.Add(owner, $"{at}.to", $"There is no node '{Short(to)}'.");
                    ok = false;
                }

                if (!ok)
                {
                    continue;
                }

                links.Add((from!, to!));
                var source = byId[from!];
                var target = byId[to!];
                if (from == to)
                {
                    problems.Add(from, $"{at}.to", "An edge may not lead from a node back to itself.");
                    continue;
                }

                if (target.Category == ActivityCategory.Trigger)
                {
                    problems.Add(from, $"{at}.to", $"'{to}' is the trigger: nothing may lead into it.");
                    continue;
                }

                if (source.Category == ActivityCategory.End)
                {
                    problems.Add(from, $"{at}.from", $"'{from}' is an end node: nothing leaves it.");
                    continue;
                }

                if (source.Activity is not null)
                {
                    var ports = catalog.PortsOf(source.Kind!, source.Settings);
                    if (!ports.Contains(port, StringComparer.Ordinal))
                    {
                        problems.Add(from, $"{at}.port", $"'{Short(port)}' is not a port of '{from}' ({source.Kind}); its ports: {string.Join(", ", ports)}.");
                        continue;
                    }
                }

                if (!seen.Add((from!, port, to!)))
                {
                    problems.Add(from, at, $"The edge {from} → {to} through '{port}' appears twice.");
                    continue;
                }

                edges.Add(new ParsedEdge(new PlaybookEdge(from!, port, to!), source, target));
            }

            return (edges, links);
        }

        private IEnumerable<(JsonObject Item, int Index)> Items(JsonNode? node, string field)
        {
            if (node is null)
            {
                yield break;
            }

            if (node is not JsonArray array)
            {
                problems.Add(null, field, "Must be a list.");
                yield break;
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject item)
                {
                    yield return (item, i);
                }
                else
                {
                    problems.Add(null, $"{field}[{i}]", "Must be an object.");
                }
            }
        }

        private void Unknown(JsonObject obj, string? nodeId, string at, string[] known)
        {
            foreach (var (name, _) in obj)
            {
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    problems.Add(nodeId, at.Length == 0 ? Short(name) : $"{at}.{Short(name)}", $"Unknown field '{Short(name)}'.");
                }
            }
        }

        private string? Text(JsonObject obj, string name, string? nodeId, string at, bool required = false)
        {
            var value = obj[name];
            if (value is null)
            {
                if (required)
                {
                    problems.Add(nodeId, at, "Required.");
                }

                return null;
            }

            if (value.GetValueKind() != JsonValueKind.String)
            {
                problems.Add(nodeId, at, "Must be a string.");
                return null;
            }

            return value.GetValue<string>();
        }

        private bool? Bool(JsonObject obj, string name, string? nodeId, string at)
        {
            var value = obj[name];
            switch (value?.GetValueKind())
            {
                case null:
                    return null;
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    problems.Add(nodeId, at, "Must be true or false.");
                    return null;
            }
        }

        private double? Number(JsonObject obj, string name, string? nodeId, string at, bool required = false)
        {
            var value = obj[name];
            if (value is null)
            {
                if (required)
                {
                    problems.Add(nodeId, at, "Required.");
                }

                return null;
            }

            if (ActivityNumber(value) is { } number && double.IsFinite(number))
            {
                return number;
            }

            problems.Add(nodeId, at, "Must be a number.");
            return null;
        }

        private int? Int(JsonObject obj, string name, string? nodeId, string at, int min, int max, bool required = false)
        {
            if (Number(obj, name, nodeId, at, required) is not { } number)
            {
                return null;
            }

            if (number != Math.Floor(number) || number < min || number > max)
            {
                problems.Add(nodeId, at, $"Must be a whole number from {min:N0} to {max:N0}.");
                return null;
            }

            return (int)number;
        }

        private static double? ActivityNumber(JsonNode value) =>
            value.GetValueKind() == JsonValueKind.Number && double.TryParse(value.ToJsonString(),
                System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? number
                : null;
    }

    /// <summary>Quotes user text in messages without letting a huge id or name flood them.</summary>
    private static string Short(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}

/// <summary>A node as read, before the whole document is known to be valid.</summary>
internal sealed record ParsedNode(string Id, string? Kind, IActivity? Activity, JsonObject Settings, PlaybookNode? Node)
{
    public ActivityCategory? Category => Activity?.Descriptor.Category;
}

internal sealed record ParsedEdge(PlaybookEdge Edge, ParsedNode Source, ParsedNode Target);

/// <summary>Collects problems up to a limit, so a document with ten thousand mistakes gets a readable answer.</summary>
internal sealed class ProblemList
{
    public const int Limit = 200;

    private readonly List<PlaybookProblem> _items = [];
    private int _dropped;

    public int Count => _items.Count + _dropped;

    public void Add(string? nodeId, string field, string message)
    {
        if (_items.Count < Limit)
        {
            _items.Add(new PlaybookProblem(nodeId, field, message));
        }
        else
        {
            _dropped++;
        }
    }

    public PlaybookParseResult Result() => new(null, _dropped == 0
        ? _items.ToList()
        : [.. _items, new PlaybookProblem(null, "document", $"… and {_dropped:N0} more problems.")]);
}
