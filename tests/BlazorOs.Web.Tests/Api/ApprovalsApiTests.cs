using System.Net;
using BlazorOs.Web.Tests.Support;

namespace BlazorOs.Web.Tests.Api;

/// <summary>Answering the operator's questions over HTTP: the answer decides the branch, and a question is answered once.</summary>
public sealed class ApprovalsApiTests(BlazorOsAppFactory app) : IClassFixture<BlazorOsAppFactory>
{
    [Fact]
    public async Task An_open_approval_lists_its_run_node_question_and_context()
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Review()), """{ "topic": "the Q3 report" }""");

        var question = await api.WaitForOpenApprovalAsync(runId);

        Assert.Equal(("review", "Send it?", "Open", "Approval"), (question.GetProperty("nodeId").GetString(),
            question.GetProperty("question").GetString(), question.GetProperty("status").GetString(), question.GetProperty("kind").GetString()));
        Assert.Contains("the Q3 report", question.GetProperty("context").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approve", "approved")]
    [InlineData("reject", "rejected")]
    public async Task The_decision_picks_the_branch_the_run_takes(string decision, string outcome)
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Review()), """{ "topic": "q3" }""");
        var question = await api.WaitForOpenApprovalAsync(runId);

        using var response = await api.PostAsync($"/api/approvals/{question.GetProperty("id").GetGuid()}", $$"""{ "decision": "{{decision}}" }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = (await api.WaitForRunAsync(runId, "Completed", "Failed")).GetProperty("run");
        Assert.Equal(("Completed", outcome), (run.GetProperty("status").GetString(), run.GetProperty("outcome").GetString()));
        var answered = await api.GetJsonAsync("/api/approvals?status=answered");
        Assert.Contains(answered.EnumerateArray(), a => a.GetProperty("id").GetGuid() == question.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Modify_approves_with_the_output_the_operator_wrote()
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Review()), """{ "topic": "draft" }""");
        var question = await api.WaitForOpenApprovalAsync(runId);

        using var response = await api.PostAsync($"/api/approvals/{question.GetProperty("id").GetGuid()}",
            """{ "decision": "modify", "output": { "subject": "Edited by the operator" } }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var detail = await api.WaitForRunAsync(runId, "Completed", "Failed");
        Assert.Equal("approved", detail.GetProperty("run").GetProperty("outcome").GetString());
        var review = detail.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("nodeId").GetString() == "review");
        Assert.Equal("Edited by the operator", review.GetProperty("output").GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("""{ "decision": "maybe" }""")]
    [InlineData("""{ }""")]
    [InlineData("""{ "decision": "retry" }""")]
    [InlineData("""{ "decision": "modify" }""")]
    public async Task A_decision_that_does_not_fit_is_a_400_and_the_question_stays_open(string body)
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Review()), """{ "topic": "q3" }""");
        var question = await api.WaitForOpenApprovalAsync(runId);

        using var response = await api.PostAsync($"/api/approvals/{question.GetProperty("id").GetGuid()}", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(question.GetProperty("id").GetGuid(), (await api.WaitForOpenApprovalAsync(runId)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Answering_twice_is_a_409_problem()
    {
        using var api = app.CreateApiScript();
        var runId = await api.StartRunAsync(await api.ImportAsync(ApiPlaybooks.Review()), """{ "topic": "q3" }""");
        var address = $"/api/approvals/{(await api.WaitForOpenApprovalAsync(runId)).GetProperty("id").GetGuid()}";
        using (var first = await api.PostAsync(address, """{ "decision": "approve" }"""))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await api.PostAsync(address, """{ "decision": "reject" }""");

        await ApiAssert.ProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Equal("approved", (await api.WaitForRunAsync(runId, "Completed")).GetProperty("run").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Answering_an_unknown_question_is_a_404_problem()
    {
        using var api = app.CreateApiScript();

        using var response = await api.PostAsync($"/api/approvals/{Guid.NewGuid()}", """{ "decision": "approve" }""");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_status_filter_is_a_400_problem()
    {
        using var api = app.CreateApiScript();

        using var response = await api.GetAsync("/api/approvals?status=someday");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "Unknown status 'someday'");
    }
}
