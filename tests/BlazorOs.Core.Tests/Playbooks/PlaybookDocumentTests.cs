using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Definition;
using static BlazorOs.Core.Tests.Playbooks.PlaybookDocuments;

namespace BlazorOs.Core.Tests.Playbooks;

/// <summary>
/// Every rule of CONTRACTS §1, each broken once on the contract's own example, must come back as a problem that says
/// where (node id and field) — and a document with several mistakes reports all of them.
/// </summary>
public sealed class PlaybookDocumentTests
{
    private static void AssertOnly(PlaybookParseResult result, string? nodeId, string field, string? says = null)
    {
        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((nodeId, field), (problem.NodeId, problem.Field));
        if (says is not null)
        {
            Assert.Contains(says, problem.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_contract_example_parses_into_its_definition()
    {
        var result = Parse(ContractExample);

        Assert.Empty(result.Problems);
        var definition = result.Definition!;
        Assert.Equal(("blazoros/playbook@1", "Lead follow-up", DelegationLevel.Approval, (string?)null),
            (definition.Schema, definition.Name, definition.Delegation, definition.WebhookSecret));
        Assert.Equal(new PlaybookInput("lead_email", "string", true), Assert.Single(definition.Inputs));
        Assert.Equal(new PlaybookKpi("followups_sent", "count"), Assert.Single(definition.Kpis));
        Assert.Equal(["start", "draft", "review", "send", "done", "dropped"], definition.Nodes.Select(n => n.Id));
        var draft = definition.Node("draft");
        Assert.Equal(("agent", "Draft email", new RetryPolicy(3, "exponential", 500), (int?)60000), (draft.Kind, draft.Label, draft.Retry, draft.TimeoutMs));
        Assert.Equal("task", draft.Settings["tier"]!.GetValue<string>());
        Assert.Equal(new NodePosition(0, 0), definition.Node("start").Position);
        Assert.Equal(
            [new PlaybookEdge("start", "next", "draft"), new PlaybookEdge("draft", "next", "review"), new PlaybookEdge("review", "approved", "send"),
             new PlaybookEdge("review", "rejected", "dropped"), new PlaybookEdge("send", "next", "done")],
            definition.Edges);
    }

    [Fact]
    public void The_canonical_json_round_trips()
    {
        var definition = Parse(ContractExample).Definition!;

        var json = PlaybookDocument.ToJson(definition);
        var again = Parse(json);

        Assert.Empty(again.Problems);
        Assert.Equal(json, PlaybookDocument.ToJson(again.Definition!));
        Assert.Equal(definition.Edges, again.Definition!.Edges);
        Assert.Equal(definition.Nodes.Select(n => (n.Id, n.Kind, n.Label, n.Position, n.Retry, n.TimeoutMs)),
            again.Definition.Nodes.Select(n => (n.Id, n.Kind, n.Label, n.Position, n.Retry, n.TimeoutMs)));
        Assert.All(definition.Nodes, n => Assert.True(JsonNode.DeepEquals(n.Settings, again.Definition.Node(n.Id).Settings)));
        Assert.Contains("\n  \"name\": \"Lead follow-up\",", json, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ContractExample)!["nodes"], JsonNode.Parse(json)!["nodes"]));
    }

    [Fact]
    public void Defaults_are_filled_in_and_written_out()
    {
        var json = """
            { "schema": "blazoros/playbook@1", "name": "Tiny",
              "nodes": [ { "id": "start", "kind": "trigger.manual" }, { "id": "end", "kind": "end" } ],
              "edges": [ { "from": "start", "to": "end" } ] }
            """;

        var definition = Parse(json).Definition!;

        Assert.Equal((DelegationLevel.Approval, 0, 0), (definition.Delegation, definition.Inputs.Count, definition.Kpis.Count));
        var canonical = JsonNode.Parse(PlaybookDocument.ToJson(definition))!;
        Assert.Equal("approval", canonical["delegation"]!.GetValue<string>());
        Assert.Empty(canonical["inputs"]!.AsArray());
        Assert.Null(canonical["edges"]![0]!["port"]);
    }

    [Fact]
    public void Malformed_json_is_one_problem_with_line_and_position()
    {
        var result = Parse("{\n  \"schema\": \"blazoros/playbook@1\",\n  \"name\": tru\n}");

        AssertOnly(result, null, "document", "line 3, position");
    }

    [Fact]
    public void A_document_that_is_not_an_object_is_a_problem()
    {
        AssertOnly(Parse("[1, 2]"), null, "document", "object");
    }

    [Fact]
    public void Duplicate_field_names_are_a_problem()
    {
        AssertOnly(Parse("""{ "name": "a", "name": "b" }"""), null, "document", "duplicate");
    }

    [Theory]
    [InlineData(null, "Required")]
    [InlineData("blazoros/playbook@2", "unsupported schema")]
    public void The_schema_must_be_playbook_v1(string? schema, string says)
    {
        AssertOnly(Parse(With(d => d["schema"] = schema)), null, "schema", says);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_name_is_required(string? name)
    {
        AssertOnly(Parse(With(d => d["name"] = name)), null, "name");
    }

    [Fact]
    public void A_name_has_at_most_200_characters()
    {
        AssertOnly(Parse(With(d => d["name"] = new string('n', 201))), null, "name", "200");
    }

    [Theory]
    [InlineData("delegated", DelegationLevel.Delegated)]
    [InlineData("supervised", DelegationLevel.Supervised)]
    public void Delegation_is_read(string text, DelegationLevel level)
    {
        Assert.Equal(level, Parse(With(d => d["delegation"] = text)).Definition!.Delegation);
    }

    [Fact]
    public void An_unknown_delegation_is_a_problem()
    {
        AssertOnly(Parse(With(d => d["delegation"] = "yolo")), null, "delegation");
    }

    [Fact]
    public void Input_names_are_unique_identifiers_and_types_are_known()
    {
        var result = Parse(With(d => d["inputs"] = JsonNode.Parse("""
            [ { "name": "lead_email", "type": "string" }, { "name": "lead_email", "type": "string" },
              { "name": "lead email", "type": "string" }, { "name": "count", "type": "integer" }, { "type": "string" } ]
            """)));

        Assert.Equal(["inputs[1].name", "inputs[2].name", "inputs[3].type", "inputs[4].name"], result.Problems.Select(p => p.Field));
    }

    [Fact]
    public void Kpi_names_are_unique()
    {
        AssertOnly(Parse(With(d => d["kpis"]!.AsArray().Add(new JsonObject { ["name"] = "followups_sent" }))), null, "kpis[1].name", "twice");
    }

    [Theory]
    [InlineData("Draft")]
    [InlineData("draft email")]
    [InlineData("")]
    public void Node_ids_follow_the_pattern(string id)
    {
        AssertOnly(Parse(With(d => d.AddNode(id, "end"))), null, "nodes[6].id");
    }

    [Fact]
    public void A_node_id_longer_than_64_characters_is_a_problem()
    {
        AssertOnly(Parse(With(d => d.AddNode(new string('a', 65), "end"))), null, "nodes[6].id");
    }

    [Fact]
    public void Renaming_a_node_leaves_the_edges_to_its_old_id_pointing_nowhere()
    {
        var result = Parse(With(d => d.Node("dropped")["id"] = "Dropped"));

        Assert.Equal([(null, "nodes[5].id"), ("review", "edges[3].to")], result.Problems.Select(p => (p.NodeId, p.Field)));
    }

    [Fact]
    public void Duplicate_node_ids_are_a_problem_on_the_duplicate()
    {
        var result = Parse(With(d => d.AddNode("send", "end")));

        AssertOnly(result, "send", "id", "duplicate");
    }

    [Fact]
    public void An_unknown_kind_is_a_problem_that_lists_the_known_ones()
    {
        AssertOnly(Parse(With(d => d.Node("send")["kind"] = "email")), "send", "kind", "trigger.manual");
    }

    [Fact]
    public void Settings_are_checked_by_the_node_s_activity()
    {
        AssertOnly(Parse(With(d => d.Node("draft")["settings"]!.AsObject().Remove("prompt"))), "draft", "settings.prompt", "required");
    }

    [Fact]
    public void Settings_must_be_an_object()
    {
        var result = Parse(With(d => d.Node("dropped")["settings"] = "sent"));

        AssertOnly(result, "dropped", "settings", "object");
    }

    [Theory]
    [InlineData("""{ "maxAttempts": 11 }""", "retry.maxAttempts")]
    [InlineData("""{ "maxAttempts": 0 }""", "retry.maxAttempts")]
    [InlineData("""{ "backoff": "fixed" }""", "retry.maxAttempts")]
    [InlineData("""{ "maxAttempts": 2, "backoff": "linear" }""", "retry.backoff")]
    [InlineData("""{ "maxAttempts": 2, "initialDelayMs": -1 }""", "retry.initialDelayMs")]
    [InlineData("""{ "maxAttempts": 2, "initialDelayMs": 600001 }""", "retry.initialDelayMs")]
    [InlineData("""{ "maxAttempts": 2.5 }""", "retry.maxAttempts")]
    [InlineData("""{ "maxAttempts": 2, "jitter": true }""", "retry.jitter")]
    [InlineData("3", "retry")]
    public void Retry_policies_are_checked(string retry, string field)
    {
        AssertOnly(Parse(With(d => d.Node("draft")["retry"] = JsonNode.Parse(retry))), "draft", field);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3600001")]
    [InlineData("\"1m\"")]
    public void A_timeout_is_1_ms_to_an_hour(string timeout)
    {
        AssertOnly(Parse(With(d => d.Node("draft")["timeoutMs"] = JsonNode.Parse(timeout))), "draft", "timeoutMs");
    }

    [Theory]
    [InlineData("""{ "x": 1 }""", "position.y")]
    [InlineData("""{ "x": 1, "y": "2" }""", "position.y")]
    [InlineData("""{ "x": 1, "y": 2, "z": 3 }""", "position.z")]
    [InlineData("[1, 2]", "position")]
    public void Positions_are_x_and_y(string position, string field)
    {
        AssertOnly(Parse(With(d => d.Node("start")["position"] = JsonNode.Parse(position))), "start", field);
    }

    [Fact]
    public void Unknown_fields_are_problems_at_every_level()
    {
        var result = Parse(With(d =>
        {
            d["owner"] = "me";
            d.Node("send")["colour"] = "red";
            d.Node("send")["settings"]!["retries"] = 3;
            d.Edges()[0]!["label"] = "go";
            d["inputs"]![0]!["default"] = "x";
            d["kpis"]![0]!["target"] = 5;
        }));

        Assert.Equal(
            [(null, "owner"), (null, "inputs[0].default"), (null, "kpis[0].target"), ("send", "colour"), ("send", "settings.retries"), ("start", "edges[0].label")],
            result.Problems.Select(p => (p.NodeId, p.Field)));
        Assert.All(result.Problems, p => Assert.Contains("Unknown", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_edge_to_a_missing_node_is_a_problem()
    {
        var result = Parse(With(d => d.Edges()[4]!["to"] = "nowhere"));

        Assert.Contains(result.Problems, p => (p.NodeId, p.Field) == ("send", "edges[4].to") && p.Message.Contains("nowhere", StringComparison.Ordinal));
    }

    [Fact]
    public void An_edge_from_a_missing_node_is_a_problem()
    {
        var result = Parse(With(d => d.AddEdge("ghost", "done")));

        AssertOnly(result, null, "edges[5].from", "ghost");
    }

    [Fact]
    public void An_edge_through_a_port_the_node_does_not_have_is_a_problem()
    {
        AssertOnly(Parse(With(d => d.Edges()[2]!["port"] = "maybe")), "review", "edges[2].port", "approved, rejected, error");
    }

    [Fact]
    public void Every_node_but_triggers_and_ends_has_an_error_port()
    {
        var withErrorEdge = Parse(With(d =>
        {
            d.AddEdge("send", "dropped", "error");
            d.AddEdge("review", "dropped", "error");
        }));
        var fromTrigger = Parse(With(d => d.AddEdge("start", "dropped", "error")));

        Assert.Empty(withErrorEdge.Problems);
        AssertOnly(fromTrigger, "start", "edges[5].port");
    }

    [Fact]
    public void A_switch_has_a_port_per_case()
    {
        var result = Parse(With(d =>
        {
            d.AddNode("route", "switch", new JsonObject { ["expression"] = "inputs.kind", ["cases"] = new JsonArray("a", "b") });
            d.Edges()[0]!["to"] = "route";
            d.AddEdge("route", "draft", "a");
            d.AddEdge("route", "dropped", "b");
            d.AddEdge("route", "dropped", "default");
            d.AddEdge("route", "dropped", "c");
        }));

        AssertOnly(result, "route", "edges[8].port", "a, b, default, error");
    }

    [Fact]
    public void The_same_edge_twice_is_a_problem()
    {
        AssertOnly(Parse(With(d => d.AddEdge("send", "done"))), "send", "edges[5]", "twice");
    }

    [Fact]
    public void Nothing_may_lead_into_the_trigger()
    {
        AssertOnly(Parse(With(d => d.AddEdge("draft", "start"))), "draft", "edges[5].to", "trigger");
    }

    [Fact]
    public void A_node_may_not_lead_to_itself()
    {
        AssertOnly(Parse(With(d => d.AddEdge("review", "review", "rejected"))), "review", "edges[5].to", "itself");
    }

    [Fact]
    public void Nothing_leaves_an_end_node()
    {
        AssertOnly(Parse(With(d => d.AddEdge("done", "dropped"))), "done", "edges[5].from", "end node");
    }

    [Fact]
    public void A_playbook_without_a_trigger_is_a_problem()
    {
        var result = Parse(With(d =>
        {
            d.Nodes().RemoveAt(0);
            d.Edges().RemoveAt(0);
        }));

        AssertOnly(result, null, "nodes", "exactly one trigger");
    }

    [Fact]
    public void A_second_trigger_is_a_problem()
    {
        var result = Parse(With(d =>
        {
            d.AddNode("nightly", "trigger.schedule", new JsonObject { ["cron"] = "0 2 * * *" });
            d.AddEdge("nightly", "draft");
        }));

        AssertOnly(result, "nightly", "kind", "'start' is already");
    }

    [Fact]
    public void A_node_the_trigger_cannot_reach_is_a_problem()
    {
        var result = Parse(With(d => d.AddNode("orphan", "end")));

        AssertOnly(result, "orphan", "edges", "not reachable");
    }

    [Fact]
    public void A_loop_without_a_delay_or_approval_is_a_problem()
    {
        var result = Parse(With(d =>
        {
            d.AddNode("check", "condition", new JsonObject { ["expression"] = "steps.send.output.status == 200" });
            d.Edges()[4]!["to"] = "check";
            d.AddEdge("check", "done", "true");
            d.AddEdge("check", "send", "false");
        }));

        AssertOnly(result, "send", "edges", "send, check");
    }

    [Theory]
    [InlineData("delay", """{ "seconds": 60 }""")]
    [InlineData("approval", """{ "question": "Try again?" }""")]
    public void A_loop_through_a_delay_or_approval_is_allowed(string kind, string settings)
    {
        var result = Parse(With(d =>
        {
            d.AddNode("check", "condition", new JsonObject { ["expression"] = "steps.send.output.status == 200" });
            d.AddNode("pause", kind, Json(settings));
            d.Edges()[4]!["to"] = "check";
            d.AddEdge("check", "done", "true");
            d.AddEdge("check", "pause", "false");
            d.AddEdge("pause", "send", kind == "approval" ? "approved" : null);
            if (kind == "approval")
            {
                d.AddEdge("pause", "dropped", "rejected");
            }
        }));

        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Two_loops_sharing_a_node_are_a_problem_when_one_of_them_has_no_pause()
    {
        var result = Parse(With(d =>
        {
            d.AddNode("check", "condition", new JsonObject { ["expression"] = "true" });
            d.AddNode("wait", "delay", new JsonObject { ["seconds"] = 5 });
            d.Edges()[4]!["to"] = "check";
            d.AddEdge("check", "wait", "true");
            d.AddEdge("wait", "send");
            d.AddEdge("check", "send", "false");
            d.AddEdge("check", "done", "error");
        }));

        AssertOnly(result, "send", "edges", "loop");
    }

    private static string ParallelJson(Action<JsonObject>? change = null)
    {
        var document = Json("""
            { "schema": "blazoros/playbook@1", "name": "Fan out",
              "nodes": [
                { "id": "start", "kind": "trigger.manual" },
                { "id": "split", "kind": "parallel" },
                { "id": "a", "kind": "memory.read" },
                { "id": "b", "kind": "memory.read" },
                { "id": "b2", "kind": "memory.read" },
                { "id": "join", "kind": "join" },
                { "id": "done", "kind": "end" }
              ],
              "edges": [
                { "from": "start", "to": "split" },
                { "from": "split", "to": "a" }, { "from": "split", "to": "b" }, { "from": "b", "to": "b2" },
                { "from": "a", "to": "join" }, { "from": "b2", "to": "join" },
                { "from": "join", "to": "done" }
              ] }
            """);
        change?.Invoke(document);
        return document.ToJsonString();
    }

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void A_join_of_the_unconditional_branches_of_one_split_is_valid()
    {
        Assert.Empty(Parse(ParallelJson()).Problems);
    }

    [Fact]
    public void Nested_splits_and_joins_are_valid()
    {
        var result = Parse(ParallelJson(d =>
        {
            d.AddNode("inner", "parallel");
            d.AddNode("c", "memory.read");
            d.AddNode("d", "memory.read");
            d.AddNode("inner_join", "join");
            d.Edges()[3]!["to"] = "inner";
            d.AddEdge("inner", "c");
            d.AddEdge("inner", "d");
            d.AddEdge("c", "inner_join");
            d.AddEdge("d", "inner_join");
            d.AddEdge("inner_join", "b2");
        }));

        Assert.Empty(result.Problems);
    }

    [Fact]
    public void A_join_fed_through_a_conditional_port_is_a_problem()
    {
        var result = Parse(ParallelJson(d =>
        {
            d.AddNode("gate", "condition", new JsonObject { ["expression"] = "true" });
            d.Edges()[3]!["to"] = "gate";
            d.AddEdge("gate", "b2", "true");
            d.AddEdge("gate", "done", "false");
        }));

        AssertOnly(result, "join", "edges", "conditional port 'true' of 'gate'");
    }

    [Fact]
    public void A_join_fed_through_an_error_edge_is_a_problem()
    {
        var result = Parse(ParallelJson(d => d.Edges()[5]!["port"] = "error"));

        AssertOnly(result, "join", "edges", "'error'");
    }

    [Fact]
    public void A_join_fed_by_two_splits_is_a_problem()
    {
        var result = Parse(ParallelJson(d =>
        {
            d.AddNode("split2", "parallel");
            d.Edges()[3]!["from"] = "split2";
            d.AddEdge("start", "split2");
        }));

        AssertOnly(result, "join", "edges", "two splits");
    }

    [Fact]
    public void A_join_fed_by_a_branch_that_merges_is_a_problem()
    {
        var result = Parse(ParallelJson(d => d.AddEdge("a", "b2")));

        AssertOnly(result, "join", "edges", "merges");
    }

    [Fact]
    public void A_join_without_a_split_is_a_problem()
    {
        var result = Json(ParallelJson());
        result.Edges()[0]!["to"] = "a";
        result.Nodes().RemoveAt(1);
        result.Edges().RemoveAt(1);
        result.Edges().RemoveAt(1);
        result.AddEdge("start", "b");

        AssertOnly(Parse(result.ToJsonString()), "join", "edges", "does not come from a parallel node");
    }

    [Fact]
    public void A_webhook_playbook_needs_a_secret_of_16_to_200_characters()
    {
        var withoutSecret = Parse(With(d => d.Node("start")["kind"] = "trigger.webhook"));
        var shortSecret = Parse(With(d => d["webhookSecret"] = "short"));
        var withSecret = Parse(With(d =>
        {
            d.Node("start")["kind"] = "trigger.webhook";
            d["webhookSecret"] = "a-secret-of-enough-length";
        }));

        AssertOnly(withoutSecret, null, "webhookSecret", "needs a webhookSecret");
        AssertOnly(shortSecret, null, "webhookSecret", "16 to 200");
        Assert.Equal("a-secret-of-enough-length", withSecret.Definition!.WebhookSecret);
    }

    [Fact]
    public void An_end_node_may_only_add_to_declared_kpis()
    {
        AssertOnly(Parse(With(d => d.Node("dropped")["settings"]!["kpi"] = new JsonObject { ["drops"] = 1 })), "dropped", "settings.kpi", "drops");
    }

    [Fact]
    public void Several_mistakes_are_all_reported_at_once()
    {
        var result = Parse(With(d =>
        {
            d["schema"] = "blazoros/playbook@0";
            d["delegation"] = "maybe";
            d.Node("draft")["settings"]!["prompt"] = "{{ unclosed";
            d.Node("review")["settings"]!["onTimeout"] = "shrug";
            d.Node("send")["settings"]!["url"] = "not a url";
            d.Node("send")["timeoutMs"] = -5;
            d.AddNode("done", "end");
            d.AddEdge("send", "nowhere");
            d.AddNode("lonely", "delay", new JsonObject { ["seconds"] = 1 });
        }));

        Assert.Null(result.Definition);
        Assert.Equal(
        [
            (null, "schema"), (null, "delegation"), ("draft", "settings.prompt"), ("review", "settings.onTimeout"), ("send", "settings.url"),
            ("send", "timeoutMs"), ("done", "id"), ("send", "edges[5].to"), ("lonely", "edges"),
        ], result.Problems.Select(p => (p.NodeId, p.Field)));
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Fact]
    public void A_problem_reads_with_its_node_and_field()
    {
        var problem = Parse(With(d => d.Node("send")["settings"]!["url"] = "not a url")).Problems.Single();

        Assert.Equal("node 'send', settings.url: 'not a url' is not an absolute http or https URL.", problem.ToString());
    }
}
