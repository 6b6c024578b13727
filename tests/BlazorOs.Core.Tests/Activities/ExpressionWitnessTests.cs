using System.Text.Json.Nodes;
using BlazorOs.Core.Activities.Scripting;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>A condition's trace says which way it went and the values it read, so the run page can explain the branch.</summary>
public sealed class ExpressionWitnessTests
{
    [Theory]
    [InlineData("inputs.amount > 1000 && steps.classify.output.label == 'refund'", "inputs.amount|steps.classify.output.label")]
    [InlineData("inputs.name.startsWith('A')", "inputs.name")]
    [InlineData("steps['classify'].output.count + steps.classify.output.count", "steps['classify'].output.count|steps.classify.output.count")]
    [InlineData("inputs.a > 1 || inputs.a < -1", "inputs.a")]
    [InlineData("Math.max(1, 2) > 1", "")]
    [InlineData("myinputs.x > 1", "")]
    public void Paths_are_the_names_the_expression_reads_once_each(string expression, string expected)
    {
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), ExpressionWitness.PathsIn(expression));
    }

    [Fact]
    public async Task A_condition_traces_its_branch_and_the_values_it_saw()
    {
        await using var harness = ActivityHarness.Create();
        var scope = ActivityHarness.Scope(new JsonObject { ["amount"] = 1200 },
            new Dictionary<string, JsonNode?> { ["classify"] = new JsonObject { ["label"] = "refund" } });

        await harness.RunAsync("condition", new JsonObject { ["expression"] = "inputs.amount > 5000 || steps.classify.output.label == 'refund'" }, scope);

        var data = harness.Trace.DataOf("condition.evaluated")!;
        Assert.Equal("true", data["port"]!.GetValue<string>());
        Assert.Equal(1200, data["saw"]!["inputs.amount"]!.GetValue<int>());
        Assert.Equal("refund", data["saw"]!["steps.classify.output.label"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_switch_traces_the_value_and_the_case_it_took()
    {
        await using var harness = ActivityHarness.Create();
        var scope = ActivityHarness.Scope(new JsonObject { ["tier"] = "gold" });

        await harness.RunAsync("switch", new JsonObject { ["expression"] = "inputs.tier", ["cases"] = new JsonArray("silver", "gold") }, scope);

        var data = harness.Trace.DataOf("condition.evaluated")!;
        Assert.Equal(("gold", "gold"), (data["value"]!.GetValue<string>(), data["port"]!.GetValue<string>()));
        Assert.Equal("gold", data["saw"]!["inputs.tier"]!.GetValue<string>());
    }
}
