namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>Small playbook documents for engine tests: a trigger named <c>start</c> (manual unless given) plus the given nodes and edges.</summary>
internal static class Playbooks
{
    public const string ManualStart = """{ "id": "start", "kind": "trigger.manual" }""";

    public static string With(string nodes, string edges, string delegation = "delegated", string inputs = "[]", string name = "Scenario",
        string trigger = ManualStart) => $$"""
        { "schema": "blazoros/playbook@1", "name": "{{name}}", "delegation": "{{delegation}}", "inputs": {{inputs}},
          "nodes": [ {{trigger}}, {{nodes}} ],
          "edges": [ {{edges}} ] }
        """;
}
