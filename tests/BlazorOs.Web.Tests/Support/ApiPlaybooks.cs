namespace BlazorOs.Web.Tests.Support;

/// <summary>Playbook documents for API tests: a manual trigger named <c>start</c> plus the given nodes and edges.</summary>
public static class ApiPlaybooks
{
    public static string With(string nodes, string edges, string inputs = "[]", string name = "Scenario", string extra = "",
        string trigger = "trigger.manual") => $$"""
        { "schema": "blazoros/playbook@1", "name": "{{name}}", "delegation": "delegated", "inputs": {{inputs}}, {{extra}}
          "nodes": [ { "id": "start", "kind": "{{trigger}}" }, {{nodes}} ],
          "edges": [ {{edges}} ] }
        """;

    /// <summary>start → done (outcome <c>ok</c>).</summary>
    public static string Straight(string name = "Straight") => With(
        """{ "id": "done", "kind": "end", "settings": { "outcome": "ok" } }""",
        """{ "from": "start", "to": "done" }""", name: name);

    /// <summary>start → review (approval showing <c>inputs.topic</c>) → yes / no ends (outcomes approved / rejected).</summary>
    public static string Review(string name = "Review") => With(
        """
        { "id": "review", "kind": "approval", "settings": { "question": "Send it?", "show": "{{ inputs.topic }}" } },
        { "id": "yes", "kind": "end", "settings": { "outcome": "approved" } },
        { "id": "no", "kind": "end", "settings": { "outcome": "rejected" } }
        """,
        """
        { "from": "start", "to": "review" },
        { "from": "review", "port": "approved", "to": "yes" },
        { "from": "review", "port": "rejected", "to": "no" }
        """,
        inputs: """[{ "name": "topic", "type": "string", "required": true }]""", name: name);
}
