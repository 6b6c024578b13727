using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Activities.Scripting;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>Liquid over run data: values are data, never template syntax, and a template cannot run away.</summary>
public sealed class TemplateRendererTests
{
    private readonly FluidTemplateRenderer _renderer = new(TimeProvider.System);

    private static RunScope Scope() => ActivityHarness.Scope(
        new JsonObject { ["lead_email"] = "ada@example.com", ["note"] = "{{ run.id }} {% if true %}x{% endif %}", ["count"] = 3 },
        new Dictionary<string, JsonNode?>
        {
            ["draft"] = "Dear Ada,\nthanks for your time.",
            ["fetch"] = new JsonObject { ["status"] = 200, ["body"] = new JsonObject { ["name"] = "ACME", ["tags"] = new JsonArray("a", "b") } },
            ["list"] = new JsonArray(1, 2, 3),
        });

    [Fact]
    public void Inputs_and_string_outputs_print_as_they_are()
    {
        var text = _renderer.Render("To {{ inputs.lead_email }}: {{ steps.draft.output }}", Scope());

        Assert.Equal("To ada@example.com: Dear Ada,\nthanks for your time.", text);
    }

    [Fact]
    public void Objects_and_arrays_print_as_json_and_their_members_are_reachable()
    {
        var text = _renderer.Render("{{ steps.fetch.output.body }}|{{ steps.fetch.output.body.name }}|{{ steps.list.output }}|{{ steps.list.output.size }}|{{ steps.fetch.output.body.tags | join: '+' }}", Scope());

        Assert.Equal("""{"name":"ACME","tags":["a","b"]}|ACME|[1,2,3]|3|a+b""", text);
    }

    [Fact]
    public void Template_syntax_inside_a_value_is_printed_not_evaluated()
    {
        var text = _renderer.Render("Note: {{ inputs.note }}", Scope());

        Assert.Equal("Note: {{ run.id }} {% if true %}x{% endif %}", text);
    }

    [Fact]
    public void Loops_conditions_and_the_json_filter_work_over_run_data()
    {
        var text = _renderer.Render("{% for n in steps.list.output %}{{ n }};{% endfor %}{% if inputs.count > 2 %}many{% endif %} {{ inputs.lead_email | json }}", Scope());

        Assert.Equal("1;2;3;many \"ada@example.com\"", text);
    }

    [Fact]
    public void Missing_values_render_as_nothing()
    {
        Assert.Equal("[]", _renderer.Render("[{{ inputs.nope }}{{ steps.nope.output.deeper }}]", Scope()));
    }

    [Fact]
    public void Check_reports_a_syntax_error_with_its_position_and_accepts_a_good_template()
    {
        Assert.Null(_renderer.Check("Hello {{ inputs.name }}"));
        var error = _renderer.Check("Hello {{ inputs.name ");
        Assert.NotNull(error);
        Assert.Contains("(1:", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Rendering_a_bad_template_throws_a_template_exception()
    {
        var ex = Assert.Throws<TemplateException>(() => _renderer.Render("{% if x %}", Scope()));
        Assert.Contains("does not parse", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_loop_stops_at_the_step_limit()
    {
        var ex = Assert.Throws<TemplateException>(() =>
            _renderer.Render("{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}", Scope()));
        Assert.Contains("steps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_larger_than_the_limit_stops_the_template()
    {
        var big = new string('x', 200_000);
        var scope = ActivityHarness.Scope(new JsonObject { ["big"] = big });

        var ex = Assert.Throws<TemplateException>(() => _renderer.Render("{% for i in (1..10) %}{{ inputs.big }}{% endfor %}", scope));
        Assert.Contains("longer than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Includes_cannot_read_files()
    {
        var ex = Assert.Throws<TemplateException>(() => _renderer.Render("{% include '/etc/passwd' %}", Scope()));
        Assert.Contains("include", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_without_template_syntax_is_returned_unchanged()
    {
        Assert.Equal("plain { text }", _renderer.Render("plain { text }", Scope()));
    }
}
