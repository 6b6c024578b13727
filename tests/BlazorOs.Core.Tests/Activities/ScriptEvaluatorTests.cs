using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Activities.Scripting;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>
/// Conditions run sandboxed: scripts see run data as plain JavaScript values, cannot reach .NET, and every limit
/// (time, memory, recursion, statements) ends the script with a message that names the limit.
/// </summary>
public sealed class ScriptEvaluatorTests
{
    private readonly JintScriptEvaluator _scripts = new();

    private static RunScope Scope() => ActivityHarness.Scope(
        new JsonObject { ["amount"] = 1200, ["client"] = "ACME" },
        new Dictionary<string, JsonNode?> { ["score"] = new JsonObject { ["value"] = 0.82 }, ["draft"] = "Hello" });

    [Fact]
    public void Expressions_see_inputs_steps_and_run()
    {
        Assert.True(_scripts.Evaluate("inputs.amount > 1000 && steps.score.output.value > 0.7", Scope())!.GetValue<bool>());
        Assert.Equal("ACME/Hello/Lead follow-up", _scripts.Evaluate("inputs.client + '/' + steps.draft.output + '/' + run.playbook", Scope())!.GetValue<string>());
    }

    [Fact]
    public void Objects_come_back_as_json_and_undefined_as_null()
    {
        var value = _scripts.Evaluate("({ total: inputs.amount * 2, tags: ['a', 'b'] })", Scope());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"total":2400,"tags":["a","b"]}"""), value));
        Assert.Null(_scripts.Evaluate("undefined", Scope()));
        Assert.Null(_scripts.Evaluate("steps.missing", Scope()));
    }

    [Fact]
    public void Check_reports_syntax_errors_without_running()
    {
        Assert.Null(_scripts.Check("inputs.amount > 1000"));
        Assert.Null(_scripts.Check("while (true) {}"));
        Assert.Contains("Unexpected", _scripts.Check("inputs.amount >")!, StringComparison.Ordinal);
        Assert.NotNull(_scripts.Check("   "));
    }

    [Fact]
    public void A_script_that_loops_forever_is_stopped_by_the_statement_limit()
    {
        var ex = Assert.Throws<ScriptException>(() => _scripts.Evaluate("while (true) {}", Scope()));
        // On a badly overloaded machine the time limit may come first; either way the limit is named.
        Assert.Matches("10,000 statements|250 ms", ex.Message);
    }

    [Fact]
    public void A_script_that_spins_inside_one_statement_is_stopped_by_the_time_limit()
    {
        // A catastrophic regular expression burns time without running statements.
        var ex = Assert.Throws<ScriptException>(() => _scripts.Evaluate("/^(a+)+$/.test('a'.repeat(40) + '!')", Scope()));
        Assert.Contains("250 ms", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("let a = []; while (true) a.push('x'.repeat(1000))")]
    [InlineData("let s = 'x'; for (;;) s = s + s")]
    [InlineData("'x'.repeat(100000000)")]
    public void A_script_that_allocates_without_end_is_stopped_by_the_memory_limit(string script)
    {
        var ex = Assert.Throws<ScriptException>(() => _scripts.Evaluate(script, Scope()));
        Assert.Contains("4 MB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_that_recurses_without_end_is_stopped_by_the_recursion_limit()
    {
        var ex = Assert.Throws<ScriptException>(() => _scripts.Evaluate("function f(n) { return f(n + 1) } f(0)", Scope()));
        Assert.Contains("64", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("importNamespace('System.IO')")]
    [InlineData("eval('1 + 1')")]
    [InlineData("new Function('return 1')()")]
    [InlineData("undeclared = 5")]
    public void Scripts_cannot_reach_dotnet_compile_code_or_leak_globals(string script)
    {
        Assert.Throws<ScriptException>(() => _scripts.Evaluate(script, Scope()));
    }

    [Fact]
    public void A_thrown_error_becomes_a_script_exception_with_its_message()
    {
        var ex = Assert.Throws<ScriptException>(() => _scripts.Evaluate("throw new Error('no client')", Scope()));
        Assert.Contains("no client", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_cannot_change_the_run_data_it_was_given()
    {
        var scope = Scope();
        _scripts.Evaluate("inputs.amount = 1; steps.score.output.value = 0", scope);

        Assert.Equal(1200, scope.Inputs["amount"]!.GetValue<int>());
        Assert.Equal(0.82, scope.StepOutputs["score"]!["value"]!.GetValue<double>());
    }
}
