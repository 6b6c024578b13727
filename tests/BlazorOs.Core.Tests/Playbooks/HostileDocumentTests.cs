using System.Text;
using System.Text.Json.Nodes;
using static BlazorOs.Core.Tests.Playbooks.PlaybookDocuments;

namespace BlazorOs.Core.Tests.Playbooks;

/// <summary>
/// Documents built to hurt: each is turned away with a clear problem, without parsing more than it must and without
/// a stack overflow or a flood of messages. Limits come first, so the cost of a hostile document is bounded.
/// </summary>
public sealed class HostileDocumentTests
{
    [Fact]
    public void A_10_MB_document_is_refused_by_its_size()
    {
        var json = $$"""{ "schema": "blazoros/playbook@1", "name": "{{new string('x', 10 * 1024 * 1024)}}" }""";

        var problem = Assert.Single(Parse(json).Problems);

        Assert.Equal((null, "document"), (problem.NodeId, problem.Field));
        Assert.Contains("10.0 MiB", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_10000_levels_deep_is_refused_without_overflowing_the_stack()
    {
        var json = $$"""{ "schema": "blazoros/playbook@1", "name": {{new string('[', 10_000)}}{{new string(']', 10_000)}} }""";

        var problem = Assert.Single(Parse(json).Problems);

        Assert.Equal("document", problem.Field);
        Assert.Contains("deeper than 64", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_inside_node_settings_is_refused_the_same_way()
    {
        var schema = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            schema.Append("""{ "items": """);
        }

        schema.Append("{}").Append('}', 100);
        var json = With(d => d.Node("draft")["settings"]!["outputSchema"] = "PLACEHOLDER").Replace("\"PLACEHOLDER\"", schema.ToString(), StringComparison.Ordinal);

        Assert.Contains("deeper than 64", Assert.Single(Parse(json).Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Five_thousand_nodes_are_refused_by_their_count()
    {
        var json = With(d =>
        {
            for (var i = 0; i < 5000; i++)
            {
                d.AddNode($"n{i}", "end");
            }
        });

        var problem = Assert.Single(Parse(json).Problems);

        Assert.Equal((null, "nodes"), (problem.NodeId, problem.Field));
        Assert.Contains("5,006 nodes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_edges_are_refused_by_their_count()
    {
        var json = With(d =>
        {
            for (var i = 0; i < 4001; i++)
            {
                d.AddEdge("send", "done");
            }
        });

        Assert.Equal("edges", Assert.Single(Parse(json).Problems).Field);
    }

    [Fact]
    public void A_string_longer_than_64_KiB_is_refused_with_where_it_is()
    {
        var json = With(d => d.Node("draft")["settings"]!["prompt"] = new string('p', 70_000));

        var problem = Assert.Single(Parse(json).Problems);

        Assert.Equal("nodes[1].settings.prompt", problem.Field);
    }

    [Fact]
    public void A_thousand_broken_nodes_give_a_bounded_list_of_problems()
    {
        var json = With(d =>
        {
            for (var i = 0; i < 994; i++)
            {
                d.Nodes().Add(new JsonObject { ["id"] = $"BAD {i}", ["kind"] = "nope" });
            }
        });

        var problems = Parse(json).Problems;

        Assert.Equal(201, problems.Count);
        Assert.Contains("more problems", problems[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_chain_of_nodes_is_checked_without_recursion_trouble()
    {
        var json = With(d =>
        {
            d.Edges()[4]!["to"] = "c0";
            for (var i = 0; i < 990; i++)
            {
                d.AddNode($"c{i}", "parallel");
                d.AddEdge($"c{i}", i == 989 ? "done" : $"c{i + 1}");
            }
        });

        Assert.Empty(Parse(json).Problems);
    }

    [Fact]
    public void A_ring_through_every_node_without_a_pause_is_one_problem()
    {
        var json = With(d =>
        {
            d.Edges()[4]!["to"] = "c0";
            for (var i = 0; i < 900; i++)
            {
                d.AddNode($"c{i}", "parallel");
                d.AddEdge($"c{i}", i == 899 ? "c0" : $"c{i + 1}");
            }

            d.AddEdge("c450", "done");
        });

        var problem = Assert.Single(Parse(json).Problems);

        Assert.Equal(("c0", "edges"), (problem.NodeId, problem.Field));
    }

    [Fact]
    public void Unknown_fields_with_huge_names_are_reported_briefly()
    {
        var name = new string('k', 10_000);
        var problem = Assert.Single(Parse(With(d => d[name] = 1)).Problems);

        Assert.True(problem.Field.Length < 100);
        Assert.True(problem.Message.Length < 200);
    }

    [Fact]
    public void Scripts_in_conditions_are_parsed_but_never_run_by_the_validator()
    {
        var json = With(d =>
        {
            d.Nodes().Add(new JsonObject
            {
                ["id"] = "spin",
                ["kind"] = "condition",
                ["settings"] = new JsonObject { ["expression"] = "while (true) {}" },
            });
            d.Edges()[4]!["to"] = "spin";
            d.AddEdge("spin", "done", "true");
            d.AddEdge("spin", "dropped", "false");
        });

        Assert.Empty(Parse(json).Problems);
    }

    [Fact]
    public void Not_json_at_all_is_one_problem()
    {
        Assert.Single(Parse("\0\u0001 <xml/>").Problems);
        Assert.Single(Parse("").Problems);
    }
}
