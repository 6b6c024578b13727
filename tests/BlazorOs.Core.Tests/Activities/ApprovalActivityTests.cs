using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;

namespace BlazorOs.Core.Tests.Activities;

public sealed class ApprovalActivityTests
{
    private static readonly JsonObject Settings = Json.Object("""
        { "question": "Send this email to {{ inputs.lead_email }}?", "show": "{{ steps.draft.output }}", "timeoutMinutes": 1440, "onTimeout": "reject" }
        """);

    private static RunScope Scope() => ActivityHarness.Scope(
        new JsonObject { ["lead_email"] = "ada@example.com" },
        new Dictionary<string, JsonNode?> { ["draft"] = "Dear Ada, {{ inputs.secret }}" });

    [Fact]
    public async Task An_approval_asks_with_the_rendered_question_what_it_is_about_and_a_due_time()
    {
        await using var harness = ActivityHarness.Create();

        var waiting = Assert.IsType<ActivityResult.Waiting>(await harness.RunAsync("approval", Settings, Scope()));

        var request = waiting.Request;
        Assert.Equal((WaitKind.Approval, "Send this email to ada@example.com?"), (request.Kind, request.Question));
        Assert.Equal("Dear Ada, {{ inputs.secret }}", request.Context!["show"]!.GetValue<string>());
        Assert.Equal("ada@example.com", request.Context!["inputs"]!["lead_email"]!.GetValue<string>());
        Assert.Equal((harness.Now.AddMinutes(1440), "reject"), (request.DueAt, request.OnTimeout));
    }

    [Fact]
    public async Task Without_a_timeout_an_approval_waits_for_ever()
    {
        await using var harness = ActivityHarness.Create();

        var waiting = Assert.IsType<ActivityResult.Waiting>(await harness.RunAsync("approval", new JsonObject { ["question"] = "OK?" }));

        Assert.Equal(((DateTime?)null, (string?)null), (waiting.Request.DueAt, waiting.Request.OnTimeout));
    }

    [Fact]
    public async Task Approving_passes_the_shown_text_on()
    {
        await using var harness = ActivityHarness.Create();

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("approval", Settings, Scope(), harness.Answer(AnswerKind.Approved)));

        Assert.Equal(("approved", "Dear Ada, {{ inputs.secret }}"), (completed.Port, completed.Output!.GetValue<string>()));
    }

    [Fact]
    public async Task Modifying_passes_the_operator_s_text_on()
    {
        await using var harness = ActivityHarness.Create();

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("approval", Settings, Scope(),
            harness.Answer(AnswerKind.Modified, "Dear Ada, shorter.")));

        Assert.Equal(("approved", "Dear Ada, shorter."), (completed.Port, completed.Output!.GetValue<string>()));
    }

    [Fact]
    public async Task Rejecting_takes_the_rejected_port()
    {
        await using var harness = ActivityHarness.Create();

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("approval", Settings, Scope(), harness.Answer(AnswerKind.Rejected)));

        Assert.Equal("rejected", completed.Port);
    }

    [Theory]
    [InlineData("approve", "approved")]
    [InlineData("reject", "rejected")]
    public async Task A_timed_out_approval_decides_by_on_timeout(string onTimeout, string port)
    {
        await using var harness = ActivityHarness.Create();
        var settings = new JsonObject { ["question"] = "OK?", ["timeoutMinutes"] = 5, ["onTimeout"] = onTimeout };

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("approval", settings, answer: harness.Answer(AnswerKind.TimedOut)));

        Assert.Equal(port, completed.Port);
    }

    [Fact]
    public async Task A_timed_out_approval_that_escalates_fails_the_step_for_the_operator()
    {
        await using var harness = ActivityHarness.Create();
        var settings = new JsonObject { ["question"] = "OK?", ["timeoutMinutes"] = 5, ["onTimeout"] = "escalate" };

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("approval", settings, answer: harness.Answer(AnswerKind.TimedOut)));

        Assert.Equal(("approval timed out", false), (failed.Error, failed.Retryable));
    }

    [Theory]
    [InlineData("""{ "question": "OK?" }""", "")]
    [InlineData("""{ "question": "OK?", "show": "{{ steps.a.output }}", "timeoutMinutes": 60, "onTimeout": "approve" }""", "")]
    [InlineData("""{ }""", "question")]
    [InlineData("""{ "question": "OK? {{" }""", "question")]
    [InlineData("""{ "question": "OK?", "timeoutMinutes": 0 }""", "timeoutMinutes")]
    [InlineData("""{ "question": "OK?", "timeoutMinutes": "soon" }""", "timeoutMinutes")]
    [InlineData("""{ "question": "OK?", "onTimeout": "ignore" }""", "onTimeout")]
    [InlineData("""{ "question": "OK?", "show": ["a"] }""", "show")]
    public async Task Approval_settings_are_validated(string settings, string problemFields)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity("approval").Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }
}
