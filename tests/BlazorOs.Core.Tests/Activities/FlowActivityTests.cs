using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;

namespace BlazorOs.Core.Tests.Activities;

public sealed class FlowActivityTests
{
    private static RunScope Scope() => ActivityHarness.Scope(
        new JsonObject { ["amount"] = 1200, ["tier"] = "gold", ["empty"] = "" },
        new Dictionary<string, JsonNode?> { ["classify"] = new JsonObject { ["label"] = "refund", ["count"] = 2 } });

    [Theory]
    [InlineData("inputs.amount > 1000", "true")]
    [InlineData("inputs.amount > 5000", "false")]
    [InlineData("steps.classify.output.label", "true")]
    [InlineData("inputs.empty", "false")]
    [InlineData("steps.missing", "false")]
    [InlineData("0", "false")]
    [InlineData("NaN", "false")]
    [InlineData("[]", "true")]
    public async Task A_condition_takes_the_port_of_the_expression_truthiness(string expression, string port)
    {
        await using var harness = ActivityHarness.Create();

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("condition", new JsonObject { ["expression"] = expression }, Scope()));

        Assert.Equal(port, completed.Port);
        Assert.Equal(port == "true", completed.Output!["value"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_condition_that_hits_a_limit_fails_without_retry_and_names_the_limit()
    {
        await using var harness = ActivityHarness.Create();

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("condition", new JsonObject { ["expression"] = "for (;;) {}" }, Scope()));

        Assert.False(failed.Retryable);
        Assert.Matches("statements|250 ms", failed.Error);
    }

    [Theory]
    [InlineData("steps.classify.output.label", "refund")]
    [InlineData("inputs.tier", "gold")]
    [InlineData("steps.classify.output.count", "2")]
    [InlineData("inputs.amount > 1000", "true")]
    [InlineData("'platinum'", "default")]
    [InlineData("null", "default")]
    public async Task A_switch_takes_the_matching_case_or_default(string expression, string port)
    {
        await using var harness = ActivityHarness.Create();
        var settings = new JsonObject { ["expression"] = expression, ["cases"] = new JsonArray("refund", "gold", "2", "true") };

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("switch", settings, Scope()));

        Assert.Equal(port, completed.Port);
    }

    [Fact]
    public async Task A_switch_has_a_port_per_case_plus_default_and_error()
    {
        await using var harness = ActivityHarness.Create();
        var settings = new JsonObject { ["expression"] = "1", ["cases"] = new JsonArray("a", "b") };

        Assert.Equal(["a", "b", "default", "error"], harness.Activity("switch").PortsFor(settings));
    }

    [Fact]
    public async Task A_switch_whose_script_throws_fails_without_retry()
    {
        await using var harness = ActivityHarness.Create();
        var settings = new JsonObject { ["expression"] = "inputs.nothing.deeper", ["cases"] = new JsonArray("a") };

        Assert.False(Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("switch", settings, Scope())).Retryable);
    }

    [Theory]
    [InlineData("condition", """{ "expression": "inputs.amount > 1000" }""", "")]
    [InlineData("condition", """{ }""", "expression")]
    [InlineData("condition", """{ "expression": "inputs.amount >" }""", "expression")]
    [InlineData("condition", """{ "expression": "" }""", "expression")]
    [InlineData("condition", """{ "expression": true }""", "expression")]
    [InlineData("switch", """{ "expression": "inputs.tier", "cases": ["gold", "silver"] }""", "")]
    [InlineData("switch", """{ "expression": "inputs.tier" }""", "cases")]
    [InlineData("switch", """{ "expression": "inputs.tier", "cases": [] }""", "cases")]
    [InlineData("switch", """{ "expression": "inputs.tier", "cases": ["gold", "gold"] }""", "cases")]
    [InlineData("switch", """{ "expression": "inputs.tier", "cases": ["gold", ""] }""", "cases")]
    [InlineData("switch", """{ "expression": "inputs.tier", "cases": ["default"] }""", "cases")]
    [InlineData("switch", """{ "expression": "inputs.tier", "cases": [1] }""", "cases")]
    [InlineData("switch", """{ "expression": "(", "cases": ["a"] }""", "expression")]
    public async Task Condition_and_switch_settings_are_validated(string kind, string settings, string problemFields)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity(kind).Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }

    [Fact]
    public async Task A_delay_waits_for_a_timer_due_after_its_seconds_and_continues_when_it_fires()
    {
        await using var harness = ActivityHarness.Create();
        var settings = new JsonObject { ["seconds"] = 90 };

        var waiting = Assert.IsType<ActivityResult.Waiting>(await harness.RunAsync("delay", settings));

        Assert.Equal(WaitKind.Timer, waiting.Request.Kind);
        Assert.Equal(harness.Now.AddSeconds(90), waiting.Request.DueAt);
        Assert.Equal(DateTimeKind.Utc, waiting.Request.DueAt!.Value.Kind);
        harness.Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal("next", Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("delay", settings, answer: harness.Answer(AnswerKind.TimerFired))).Port);
    }

    [Fact]
    public async Task A_delay_until_a_moment_uses_that_moment_and_one_already_past_continues_at_once()
    {
        await using var harness = ActivityHarness.Create();

        var waiting = Assert.IsType<ActivityResult.Waiting>(await harness.RunAsync("delay",
            new JsonObject { ["until"] = "{{ inputs.when }}" }, ActivityHarness.Scope(new JsonObject { ["when"] = "2026-11-26T08:00:00+01:00" })));
        var past = await harness.RunAsync("delay", new JsonObject { ["until"] = "2020-01-01T00:00:00Z" });

        Assert.Equal(new DateTime(2026, 11, 26, 7, 0, 0, DateTimeKind.Utc), waiting.Request.DueAt);
        Assert.Equal("next", Assert.IsType<ActivityResult.Completed>(past).Port);
    }

    [Fact]
    public async Task A_delay_until_text_that_is_no_date_fails_without_retry()
    {
        await using var harness = ActivityHarness.Create();

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("delay",
            new JsonObject { ["until"] = "{{ inputs.when }}" }, ActivityHarness.Scope(new JsonObject { ["when"] = "soon" })));

        Assert.False(failed.Retryable);
    }

    [Theory]
    [InlineData("""{ "seconds": 30 }""", "")]
    [InlineData("""{ "until": "2027-01-31T09:00:00Z" }""", "")]
    [InlineData("""{ "until": "{{ inputs.when }}" }""", "")]
    [InlineData("""{ }""", "seconds")]
    [InlineData("""{ "seconds": 30, "until": "2027-01-31T09:00:00Z" }""", "until")]
    [InlineData("""{ "seconds": -1 }""", "seconds")]
    [InlineData("""{ "seconds": 99999999999 }""", "seconds")]
    [InlineData("""{ "seconds": "30" }""", "seconds")]
    [InlineData("""{ "until": "next tuesday" }""", "until")]
    public async Task Delay_settings_are_validated(string settings, string problemFields)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity("delay").Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }

    [Fact]
    public async Task An_end_node_ends_the_run_with_its_outcome_and_kpi_contributions()
    {
        await using var harness = ActivityHarness.Create();

        var ended = Assert.IsType<ActivityResult.Ended>(await harness.RunAsync("end",
            Json.Object("""{ "outcome": "sent", "kpi": { "followups_sent": 1, "revenue": 12.5 } }""")));

        Assert.Equal("sent", ended.Outcome);
        Assert.Equal(new Dictionary<string, double> { ["followups_sent"] = 1, ["revenue"] = 12.5 }, ended.Kpis);
    }

    [Theory]
    [InlineData("""{ }""", "")]
    [InlineData("""{ "outcome": "sent", "kpi": { "followups_sent": 1 } }""", "")]
    [InlineData("""{ "outcome": 1 }""", "outcome")]
    [InlineData("""{ "kpi": { "followups_sent": "one" } }""", "kpi")]
    [InlineData("""{ "kpi": [1] }""", "kpi")]
    [InlineData("""{ "result": "sent" }""", "result")]
    public async Task End_settings_are_validated(string settings, string problemFields)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity("end").Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }
}
