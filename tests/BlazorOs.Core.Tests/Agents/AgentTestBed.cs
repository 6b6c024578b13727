using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Settings;
using BlazorOs.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Tests.Agents;

/// <summary>
/// The real invoker against the scripted OpenAI-compatible server, with a migrated temp SQLite store behind
/// <c>memory.search</c> and the price table.
/// </summary>
internal sealed class AgentTestBed : IAsyncDisposable
{
    public const string TaskModel = "task-model";
    public const string PlannerModel = "planner-model";

    private AgentTestBed(TempStore store, OpenAiCompatibleServer server, ModelEndpoint endpoint, AgentLimits limits)
    {
        Store = store;
        Server = server;
        Endpoint = endpoint;
        Facts = new FactService(store.Get<IDbContextFactory<BlazorOsDbContext>>(), store.Clock);
        PriceLog = new ListLogger<ModelPriceTable>();
        Invoker = new SemanticKernelAgentInvoker(endpoint, store.Get<MemorySearch>(), new ModelPriceTable(store.Get<SettingsStore>(), PriceLog),
            new ListLogger<SemanticKernelAgentInvoker>(), limits);
    }

    public TempStore Store { get; }
    public OpenAiCompatibleServer Server { get; }
    public ModelEndpoint Endpoint { get; }
    public FactService Facts { get; }
    public SemanticKernelAgentInvoker Invoker { get; }
    public ListLogger<ModelPriceTable> PriceLog { get; }

    /// <param name="endpoint">Given the server's base URL, the endpoint to use; by default that URL with a key and both models.</param>
    public static async Task<AgentTestBed> StartAsync(Func<Uri, ModelEndpoint>? endpoint = null, AgentLimits? limits = null)
    {
        var store = await TempStore.CreateMigratedAsync();
        var server = await OpenAiCompatibleServer.StartAsync();
        var model = endpoint?.Invoke(server.BaseUrl) ?? new ModelEndpoint(server.BaseUrl, "sk-test", TaskModel, PlannerModel);
        return new AgentTestBed(store, server, model, limits ?? AgentLimits.Default);
    }

    public static AgentRequest Request(string prompt, string? system = null, string[]? tools = null, string[]? hosts = null,
        JsonNode? outputSchema = null, ModelTier tier = ModelTier.Task) =>
        new(Guid.CreateVersion7(), "draft", prompt, system, tier, tools ?? [], hosts ?? [], outputSchema);

    public Task<AgentReply> InvokeAsync(AgentRequest request) => Invoker.InvokeAsync(request, TestContext.Current.CancellationToken);

    public Task SetPricesAsync(string json) =>
        Store.Get<SettingsStore>().SetAsync(ModelPriceTable.SettingKey, json, TestContext.Current.CancellationToken);

    public Task<Fact> AddFactAsync(string subject, string predicate, FactValue value) =>
        Facts.AddAsync(new NewFact(subject, predicate, value, Fact.DefaultScope, 1.0), ProvenanceSource.Operator, "operator",
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Invoker.Dispose();
        await Server.DisposeAsync();
        await Store.DisposeAsync();
    }
}

/// <summary>Keeps what was logged, so a test can see that a problem was reported.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
