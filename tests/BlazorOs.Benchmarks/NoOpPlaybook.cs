using System.Text;

namespace BlazorOs.Benchmarks;

/// <summary>
/// The playbook of the engine benchmarks: a manual trigger, eight conditions whose expression is <c>true</c>, and an end
/// node, in a line. Ten durable steps with no external effect and no memory access, so what is measured is the engine
/// and its store, not an activity.
/// </summary>
internal static class NoOpPlaybook
{
    public const int Steps = 10;
    private const int Conditions = Steps - 2;

    public static string Json { get; } = Build(waits: false);

    /// <summary>The same steps with an approval before the end: a run of it waits, and the store keeps its checkpoint.</summary>
    public static string WaitingJson { get; } = Build(waits: true);

    private static string Build(bool waits)
    {
        var nodes = new StringBuilder("""{ "id": "start", "kind": "trigger.manual" }""");
        var edges = new StringBuilder();
        var previous = "start";
        var port = "next";
        for (var i = 1; i <= Conditions; i++)
        {
            var id = $"check{i}";
            nodes.Append($$""", { "id": "{{id}}", "kind": "condition", "settings": { "expression": "true" } }""");
            edges.Append($$"""{ "from": "{{previous}}", "port": "{{port}}", "to": "{{id}}" }, """);
            previous = id;
            port = "true";
        }

        if (waits)
        {
            nodes.Append(""", { "id": "review", "kind": "approval", "settings": { "question": "Go on?" } }""");
            edges.Append($$"""{ "from": "{{previous}}", "port": "{{port}}", "to": "review" }, """);
            previous = "review";
            port = "approved";
        }

        nodes.Append(""", { "id": "done", "kind": "end", "settings": { "outcome": "ok" } }""");
        edges.Append($$"""{ "from": "{{previous}}", "port": "{{port}}", "to": "done" }""");
        return $$"""
            { "schema": "blazoros/playbook@1", "name": "Benchmark: ten no-op steps", "delegation": "delegated", "inputs": [],
              "nodes": [ {{nodes}} ], "edges": [ {{edges}} ] }
            """;
    }
}
