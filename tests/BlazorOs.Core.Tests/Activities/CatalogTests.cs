using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;

namespace BlazorOs.Core.Tests.Activities;

public sealed class CatalogTests
{
    private static readonly string[] ContractKinds =
    [
        "trigger.manual", "trigger.schedule", "trigger.webhook", "agent", "http", "condition", "switch", "parallel", "join",
        "approval", "delay", "memory.read", "memory.write", "playbook", "end",
    ];

    [Fact]
    public async Task The_catalog_holds_every_kind_of_the_contract_with_palette_metadata()
    {
        await using var harness = ActivityHarness.Create();

        var descriptors = harness.Catalog.Descriptors.ToList();

        Assert.Equal(ContractKinds.Order(StringComparer.Ordinal), descriptors.Select(d => d.Kind).Order(StringComparer.Ordinal));
        Assert.All(descriptors, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.DisplayName));
            Assert.False(string.IsNullOrWhiteSpace(d.Description));
            Assert.StartsWith("Icons.Material.Outlined.", d.Icon, StringComparison.Ordinal);
            Assert.Equal(d.Settings.Count, d.Settings.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count());
            Assert.All(d.Settings, s => Assert.Equal(s.Type == SettingType.Choice, s.Choices is not null && s.Type != SettingType.StringList));
        });
    }

    [Theory]
    [InlineData("trigger.manual", "next")]
    [InlineData("agent", "next,error")]
    [InlineData("http", "next,error")]
    [InlineData("condition", "true,false,error")]
    [InlineData("switch", "default,error")]
    [InlineData("parallel", "next")]
    [InlineData("join", "next")]
    [InlineData("approval", "approved,rejected")]
    [InlineData("delay", "next")]
    [InlineData("memory.read", "next,error")]
    [InlineData("memory.write", "next,error")]
    [InlineData("playbook", "next,error")]
    [InlineData("end", "")]
    public async Task Each_kind_has_the_ports_of_the_contract(string kind, string ports)
    {
        await using var harness = ActivityHarness.Create();

        Assert.Equal(ports.Split(',', StringSplitOptions.RemoveEmptyEntries), harness.Activity(kind).Descriptor.Ports);
    }

    [Fact]
    public async Task Only_the_http_kind_is_marked_as_having_an_external_effect()
    {
        await using var harness = ActivityHarness.Create();

        Assert.Equal(["http"], harness.Catalog.Descriptors.Where(d => d.HasExternalEffect).Select(d => d.Kind));
    }

    [Theory]
    [InlineData("trigger.manual")]
    [InlineData("trigger.webhook")]
    [InlineData("parallel")]
    [InlineData("join")]
    public async Task Kinds_without_settings_reject_unknown_ones(string kind)
    {
        await using var harness = ActivityHarness.Create();

        Assert.Empty(harness.Activity(kind).Validate([]));
        var problem = Assert.Single(harness.Activity(kind).Validate(new JsonObject { ["colour"] = "red" }));
        Assert.Equal("colour", problem.Field);
    }

    [Theory]
    [InlineData("trigger.manual")]
    [InlineData("trigger.schedule")]
    [InlineData("trigger.webhook")]
    public async Task A_trigger_passes_the_run_inputs_on_along_next(string kind)
    {
        await using var harness = ActivityHarness.Create();
        var inputs = new JsonObject { ["lead_email"] = "ada@example.com" };
        var settings = kind == "trigger.schedule" ? new JsonObject { ["cron"] = "0 9 * * 1-5" } : [];

        var result = await harness.RunAsync(kind, settings, ActivityHarness.Scope(inputs));

        var completed = Assert.IsType<ActivityResult.Completed>(result);
        Assert.Equal("next", completed.Port);
        Assert.True(JsonNode.DeepEquals(inputs, completed.Output));
    }

    [Fact]
    public async Task Parallel_and_join_continue_along_next()
    {
        await using var harness = ActivityHarness.Create();

        Assert.Equal("next", Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("parallel", [])).Port);
        Assert.Equal("next", Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("join", [])).Port);
    }

    [Theory]
    [InlineData("""{ "cron": "0 9 * * 1-5" }""", null)]
    [InlineData("""{ "cron": "*/30 0 9 * * 1-5", "timeZone": "Europe/Berlin" }""", null)]
    [InlineData("""{ "cron": "@daily", "timeZone": "UTC" }""", null)]
    [InlineData("""{ }""", "cron")]
    [InlineData("""{ "cron": "0 9 * *" }""", "cron")]
    [InlineData("""{ "cron": "61 9 * * *" }""", "cron")]
    [InlineData("""{ "cron": 5 }""", "cron")]
    [InlineData("""{ "cron": "0 9 * * *", "timeZone": "Mars/Olympus_Mons" }""", "timeZone")]
    [InlineData("""{ "cron": "0 9 * * *", "every": "day" }""", "every")]
    public async Task A_schedule_needs_a_valid_cron_and_time_zone(string settings, string? problemField)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity("trigger.schedule").Validate(Json.Object(settings));

        Assert.Equal(problemField is null ? [] : [problemField], problems.Select(p => p.Field));
    }
}
