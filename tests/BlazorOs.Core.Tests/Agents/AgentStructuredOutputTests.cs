using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Tests.Support;

namespace BlazorOs.Core.Tests.Agents;

/// <summary>
/// With an output schema the model is asked for JSON (JSON mode plus the schema in the system prompt) and the
/// answer must parse and match the schema; anything else is a retryable failure, never a half-read answer.
/// </summary>
public sealed class AgentStructuredOutputTests
{
    private static readonly JsonNode Schema = JsonNode.Parse("""
        {
          "type": "object",
          "required": ["subject", "days"],
          "additionalProperties": false,
          "properties": {
            "subject": { "type": "string" },
            "days": { "type": "integer" },
            "tone": { "enum": ["formal", "friendly"] },
            "tags": { "type": "array", "items": { "type": "string" } }
          }
        }
        """)!;

    [Fact]
    public async Task A_json_answer_that_matches_the_schema_is_parsed()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("""{"subject":"ACME","days":45,"tone":"formal","tags":["vip"]}"""));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Extract the terms.", system: "Be exact.", outputSchema: Schema));

        Assert.Equal(("ACME", 45), (reply.Structured!["subject"]!.GetValue<string>(), reply.Structured["days"]!.GetValue<int>()));
        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal("json_object", request.ResponseFormatType);
        Assert.StartsWith("Be exact.", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains(Schema.ToJsonString(), request.SystemPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_in_a_markdown_fence_is_accepted()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("```json\n{\"subject\":\"ACME\",\"days\":45}\n```"));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Extract the terms.", outputSchema: Schema));

        Assert.Equal(45, reply.Structured!["days"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("Sure! The subject is ACME.", "not JSON")]
    [InlineData("""{"subject":"ACME"}""", "$.days is required")]
    [InlineData("""{"subject":"ACME","days":"45"}""", "$.days should be integer, not string")]
    [InlineData("""{"subject":"ACME","days":4.5}""", "$.days should be integer")]
    [InlineData("""{"subject":"ACME","days":45,"tone":"rude"}""", "$.tone is not one of")]
    [InlineData("""{"subject":"ACME","days":45,"tags":["vip",7]}""", "$.tags[1] should be string")]
    [InlineData("""{"subject":"ACME","days":45,"extra":true}""", "$.extra is not allowed")]
    [InlineData("""["ACME",45]""", "$ should be object, not array")]
    public async Task An_answer_that_does_not_match_is_a_retryable_failure(string answer, string problem)
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.SetPricesAsync("""{ "task-model": { "inputPerMillion": 1, "outputPerMillion": 2 } }""");
        bed.Server.Enqueue(ScriptedReply.Text(answer, promptTokens: 300, completionTokens: 40));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Extract.", outputSchema: Schema)));

        Assert.True(error.Retryable);
        // The wasted answer was still paid for.
        Assert.Equal(new AgentUsage(AgentTestBed.TaskModel, 300, 40, 380, "USD"), error.Usage);
        Assert.StartsWith("the model did not answer with JSON matching the output schema: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
