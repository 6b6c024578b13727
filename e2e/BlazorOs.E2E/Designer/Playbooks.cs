using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BlazorOs.E2E.Designer;

/// <summary>Playbook documents the designer tests open.</summary>
internal static class Playbooks
{
    /// <summary>The example of CONTRACTS §1, as written there (shared with the Core tests).</summary>
    public static readonly string ContractExample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contract-example.json"));

    /// <summary>The steps of <see cref="ContractExample"/> as the canvas lists them (id:kind).</summary>
    public static readonly string[] ExampleNodes =
        ["start:trigger.manual", "draft:agent", "review:approval", "send:http", "done:end", "dropped:end"];

    /// <summary>The edges of <see cref="ContractExample"/> as the canvas lists them (from|port|to).</summary>
    public static readonly string[] ExampleEdges =
        ["start|next|draft", "draft|next|review", "review|approved|send", "review|rejected|dropped", "send|next|done"];

    /// <summary>
    /// A valid playbook of <paramref name="nodes"/> steps and <paramref name="edges"/> edges: a chain of delays from a
    /// manual trigger to an end, plus forward edges that skip one step, laid out on a grid.
    /// </summary>
    public static string Large(int nodes, int edges)
    {
        var text = new StringBuilder();
        text.Append("""{"schema":"blazoros/playbook@1","name":"Large playbook","nodes":[""");
        for (var i = 0; i < nodes; i++)
        {
            var kind = i == 0 ? "trigger.manual" : i == nodes - 1 ? "end" : "delay";
            var settings = kind == "delay" ? ""","settings":{"seconds":1}""" : "";
            text.Append(CultureInfo.InvariantCulture, $$"""{{(i > 0 ? "," : "")}}{"id":"n{{i}}","kind":"{{kind}}","position":{"x":{{i % 25 * 280}},"y":{{i / 25 * 140}}}{{settings}}}""");
        }

        text.Append("""],"edges":[""");
        var written = 0;
        for (var i = 1; i < nodes; i++, written++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""{{(written > 0 ? "," : "")}}{"from":"n{{i - 1}}","to":"n{{i}}"}""");
        }

        for (var i = 1; written < edges && i + 2 < nodes; i += 4, written++)
        {
            text.Append(CultureInfo.InvariantCulture, $$""",{"from":"n{{i}}","to":"n{{i + 2}}"}""");
        }

        text.Append("]}");
        return text.ToString();
    }

    /// <summary>A document without node positions, for "the same modulo positions".</summary>
    public static JsonNode WithoutPositions(string json)
    {
        var document = JsonNode.Parse(json)!;
        foreach (var node in document["nodes"]!.AsArray())
        {
            node!.AsObject().Remove("position");
        }

        return document;
    }
}
