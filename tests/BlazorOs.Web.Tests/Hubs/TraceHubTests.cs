using System.Net;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using BlazorOs.Core.Traces;
using BlazorOs.Web.Hubs;
using BlazorOs.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Web.Tests.Hubs;

/// <summary>
/// The trace hub over a real Kestrel port on 127.0.0.1 with SignalR's .NET client. Invariant: a client that joins a
/// run, or comes back after missing events, ends up with every event of the run exactly once, in sequence order.
/// </summary>
public sealed class TraceHubTests : IAsyncLifetime
{
    private readonly BlazorOsAppFactory _app = new();
    private Uri _hub = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _hub = new Uri(new Uri(address), TraceHub.Path);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Joining_a_run_returns_its_trace_so_far_then_streams_new_events_in_order()
    {
        var runId = await SeedRunAsync();
        await WriteAsync(runId, 3);
        await using var client = await ConnectAsync();
        var live = Listen(client);

        var missed = await client.InvokeAsync<List<TraceMessage>>(nameof(TraceHub.JoinRun), runId, 0L, Cancel);
        await WriteAsync(runId, 4);

        Assert.Equal([1, 2, 3], missed.Select(m => m.Sequence));
        Assert.Equal([4, 5, 6, 7], await ReadAsync(live, 4));
        Assert.All(missed, m => Assert.Equal(runId, m.RunId));
    }

    [Fact]
    public async Task A_client_that_reconnects_gets_exactly_what_it_missed()
    {
        var runId = await SeedRunAsync();
        await WriteAsync(runId, 2);
        long last;
        await using (var first = await ConnectAsync())
        {
            var seen = await first.InvokeAsync<List<TraceMessage>>(nameof(TraceHub.JoinRun), runId, 0L, Cancel);
            last = seen[^1].Sequence;
        }

        await WriteAsync(runId, 5); // while nobody listens
        await using var second = await ConnectAsync();
        var live = Listen(second);
        var missed = await second.InvokeAsync<List<TraceMessage>>(nameof(TraceHub.JoinRun), runId, last, Cancel);
        await WriteAsync(runId, 1);

        Assert.Equal([3, 4, 5, 6, 7], missed.Select(m => m.Sequence));
        Assert.Equal([8], await ReadAsync(live, 1));
    }

    [Fact]
    public async Task Events_of_other_runs_do_not_reach_a_run_group_but_reach_the_all_runs_group()
    {
        var watched = await SeedRunAsync();
        var other = await SeedRunAsync();
        await using var runClient = await ConnectAsync();
        await using var allClient = await ConnectAsync();
        var runEvents = Listen(runClient);
        var allEvents = Listen(allClient);
        await runClient.InvokeAsync<List<TraceMessage>>(nameof(TraceHub.JoinRun), watched, 0L, Cancel);
        await allClient.InvokeAsync(nameof(TraceHub.JoinAllRuns), Cancel);

        await WriteAsync(other, 1);
        await WriteAsync(watched, 1);

        Assert.Equal([watched], (await ReadMessagesAsync(runEvents, 1)).Select(m => m.RunId));
        Assert.Equal([other, watched], (await ReadMessagesAsync(allEvents, 2)).Select(m => m.RunId));
    }

    [Fact]
    public async Task Joining_a_run_that_does_not_exist_is_refused_with_a_reason()
    {
        await using var client = await ConnectAsync();

        var error = await Assert.ThrowsAsync<HubException>(() =>
            client.InvokeAsync<List<TraceMessage>>(nameof(TraceHub.JoinRun), Guid.NewGuid(), 0L, Cancel));

        Assert.Contains("There is no run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hub_needs_the_operator()
    {
        var anonymous = new HubConnectionBuilder().WithUrl(_hub).Build();
        await using var _ = anonymous;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync(Cancel));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task An_api_key_in_the_query_string_is_taken_only_by_hubs()
    {
        using var http = new HttpClient { BaseAddress = _hub };

        using var api = await http.GetAsync(new Uri($"/api/runs?access_token={BlazorOsAppFactory.ApiKey}", UriKind.Relative), Cancel);
        using var negotiate = await http.PostAsync(
            new Uri($"{TraceHub.Path}/negotiate?negotiateVersion=1&access_token={BlazorOsAppFactory.ApiKey}", UriKind.Relative), null, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
    }

    private async Task<HubConnection> ConnectAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(_hub, options => options.AccessTokenProvider = () => Task.FromResult<string?>(BlazorOsAppFactory.ApiKey))
            .AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        await connection.StartAsync(Cancel);
        return connection;
    }

    private static ChannelReader<TraceMessage> Listen(HubConnection connection)
    {
        var channel = Channel.CreateUnbounded<TraceMessage>();
        connection.On<TraceMessage>(nameof(ITraceClient.Trace), message => channel.Writer.TryWrite(message));
        return channel.Reader;
    }

    private static async Task<List<long>> ReadAsync(ChannelReader<TraceMessage> live, int count) =>
        [.. (await ReadMessagesAsync(live, count)).Select(m => m.Sequence)];

    // Bounded: a lost event fails the test with a timeout instead of hanging the suite.
    private static async Task<List<TraceMessage>> ReadMessagesAsync(ChannelReader<TraceMessage> live, int count)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var messages = new List<TraceMessage>();
        while (messages.Count < count)
        {
            messages.Add(await live.ReadAsync(timeout.Token));
        }

        return messages;
    }

    private async Task<Guid> SeedRunAsync()
    {
        var seeder = _app.Seeder();
        var version = await seeder.PlaybookAsync("Hub test");
        return (await seeder.RunAsync(version, TimeSpan.FromMinutes(1))).Id;
    }

    private async Task WriteAsync(Guid runId, int count)
    {
        var writer = _app.Services.GetRequiredService<TraceWriter>();
        for (var i = 0; i < count; i++)
        {
            await writer.WriteAsync(runId, "test.event", $"Event {i}", cancellationToken: Cancel);
        }
    }
}
