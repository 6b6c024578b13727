namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>Small playbook documents for engine tests: a manual trigger named <c>start</c> plus the given nodes and edges.</summary>
internal static class Playbooks
{
    public static string With(string nodes, string edges, string delegation = "delegated", string inputs = "[]", string name = "Scenario") => $$"""
        { "schema": "blazoros/playbook@1", "name": "{{name}}", "delegation": "{{delegation}}", "inputs": {{inputs}},
          "nodes": [ { "id": "start", "kind": "trigger.manual" }, {{nodes}} ],
          "edges": [ {{edges}} ] }
        """;
}
