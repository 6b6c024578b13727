using System.Globalization;
using System.Text;

namespace BlazorOs.E2E.Runs;

/// <summary>Playbook documents the run page tests start.</summary>
internal static class RunPlaybooks
{
    /// <summary>
    /// start → score (agent, structured answer with a rationale) → hot (condition on the score) → review (approval) →
    /// notify (HTTP GET to <paramref name="crm"/>) → sent; with a cold and a dropped end for the other branches.
    /// </summary>
    public static string LeadScoring(Uri crm) => """
        { "schema": "blazoros/playbook@1", "name": "Lead scoring", "delegation": "delegated",
          "inputs": [{ "name": "lead", "type": "string", "required": true }],
          "nodes": [
            { "id": "start", "kind": "trigger.manual", "label": "Start", "position": { "x": 0, "y": 60 } },
            { "id": "score", "kind": "agent", "label": "Score the lead", "position": { "x": 260, "y": 60 },
              "settings": { "prompt": "Score {{ inputs.lead }} from 0 to 100 and say why.", "tier": "task",
                "outputSchema": { "type": "object", "properties": { "score": { "type": "number" }, "rationale": { "type": "string" } },
                                  "required": ["score", "rationale"] } } },
            { "id": "hot", "kind": "condition", "label": "Hot lead?", "position": { "x": 520, "y": 60 },
              "settings": { "expression": "steps.score.output.score > 50" } },
            { "id": "review", "kind": "approval", "label": "Send the offer?", "position": { "x": 780, "y": 0 },
              "settings": { "question": "Send the offer to the lead?", "show": "{{ steps.score.output.rationale }}" } },
            { "id": "cold", "kind": "end", "label": "Cold", "position": { "x": 780, "y": 160 }, "settings": { "outcome": "cold" } },
            { "id": "notify", "kind": "http", "label": "Note it in the CRM", "position": { "x": 1040, "y": 0 },
              "settings": { "method": "GET", "url": "CRM_URL" } },
            { "id": "dropped", "kind": "end", "label": "Dropped", "position": { "x": 1040, "y": 160 }, "settings": { "outcome": "dropped" } },
            { "id": "sent", "kind": "end", "label": "Offer sent", "position": { "x": 1300, "y": 0 }, "settings": { "outcome": "offer sent" } }
          ],
          "edges": [
            { "from": "start", "to": "score" },
            { "from": "score", "to": "hot" },
            { "from": "hot", "port": "true", "to": "review" },
            { "from": "hot", "port": "false", "to": "cold" },
            { "from": "review", "port": "approved", "to": "notify" },
            { "from": "review", "port": "rejected", "to": "dropped" },
            { "from": "notify", "to": "sent" }
          ] }
        """.Replace("CRM_URL", crm.ToString(), StringComparison.Ordinal);

    /// <summary>
    /// start → first (working note: the draft's status) → review (approval) → second (the same note, a new value) → owner
    /// (another note) → done. The notes are about the input <c>client</c>.
    /// </summary>
    public const string DraftNotes = """
        { "schema": "blazoros/playbook@1", "name": "Draft follow-up", "delegation": "delegated",
          "inputs": [{ "name": "client", "type": "string", "required": true }],
          "nodes": [
            { "id": "start", "kind": "trigger.manual", "label": "Start", "position": { "x": 0, "y": 60 } },
            { "id": "first", "kind": "memory.write", "label": "Note the first draft", "position": { "x": 260, "y": 60 },
              "settings": { "tier": "working", "subject": "{{ inputs.client }}", "predicate": "draft-status", "value": "first draft written" } },
            { "id": "review", "kind": "approval", "label": "Send the second draft?", "position": { "x": 520, "y": 60 },
              "settings": { "question": "Send the second draft to {{ inputs.client }}?" } },
            { "id": "second", "kind": "memory.write", "label": "Note it went out", "position": { "x": 780, "y": 60 },
              "settings": { "tier": "working", "subject": "{{ inputs.client }}", "predicate": "draft-status", "value": "second draft sent" } },
            { "id": "owner", "kind": "memory.write", "label": "Note the owner", "position": { "x": 1040, "y": 60 },
              "settings": { "tier": "working", "subject": "{{ inputs.client }}", "predicate": "owner", "value": "Dana follows up on Friday" } },
            { "id": "done", "kind": "end", "label": "Sent", "position": { "x": 1300, "y": 60 }, "settings": { "outcome": "sent" } }
          ],
          "edges": [
            { "from": "start", "to": "first" }, { "from": "first", "to": "review" }, { "from": "review", "port": "approved", "to": "second" },
            { "from": "second", "to": "owner" }, { "from": "owner", "to": "done" }
          ] }
        """;

    /// <summary>
    /// A chain of <paramref name="steps"/> HTTP GETs to <paramref name="target"/>: each writes five trace events (started,
    /// policy decision, request, response, completed), so 400 steps make a run of about 2,000 events.
    /// </summary>
    public static string HttpChain(int steps, Uri target)
    {
        var text = new StringBuilder();
        text.Append("""{"schema":"blazoros/playbook@1","name":"Long run","delegation":"delegated","nodes":[""");
        text.Append("""{"id":"start","kind":"trigger.manual","position":{"x":0,"y":0}}""");
        for (var i = 1; i <= steps; i++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $$$""",{"id":"get{{{i}}}","kind":"http","position":{"x":{{{i % 20 * 260}}},"y":{{{i / 20 * 120}}}},"settings":{"method":"GET","url":"{{{target}}}item/{{{i}}}"}}""");
        }

        text.Append(""",{"id":"done","kind":"end","position":{"x":0,"y":-120},"settings":{"outcome":"done"}}],"edges":[""");
        text.Append("""{"from":"start","to":"get1"}""");
        for (var i = 2; i <= steps; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$""",{"from":"get{{i - 1}}","to":"get{{i}}"}""");
        }

        text.Append(CultureInfo.InvariantCulture, $$""",{"from":"get{{steps}}","to":"done"}]}""");
        return text.ToString();
    }
}
