using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Traces;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>
/// The activities as the app registers them (<c>AddBlazorOsActivities</c>), a fake clock, a trace that keeps what the
/// activity wrote, and, when asked, a real SQLite store in a temp folder for the kinds that read or write memory.
/// </summary>
internal sealed class ActivityHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly string? _root;
    private readonly DatabaseSettings? _database;

    private ActivityHarness(Action<IServiceCollection>? configure, string? root)
    {
        _root = root;
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Clock);
        if (root is not null)
        {
            _database = DatabaseSettings.Resolve(Path.Combine(root, "data"), connectionString: null);
            services.AddBlazorOsData(_database).AddBlazorOsMemory();
        }

        services.AddBlazorOsActivities();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(Start);
    public TestTrace Trace { get; } = new();
    public IServiceProvider Services => _services;
    public ActivityCatalog Catalog => Get<ActivityCatalog>();
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>The memory access the contexts carry, as a playbook's <c>memory</c> block would set it.</summary>
    public MemoryAccess Memory { get; set; } = MemoryAccess.Unrestricted;

    public static ActivityHarness Create(Action<IServiceCollection>? configure = null) => new(configure, root: null);

    public static async Task<ActivityHarness> CreateWithStoreAsync(Action<IServiceCollection>? configure = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "blazoros-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var harness = new ActivityHarness(configure, root);
        await harness.Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return harness;
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public IActivity Activity(string kind) => Catalog.Get(kind);

    public static RunScope Scope(JsonObject? inputs = null, IReadOnlyDictionary<string, JsonNode?>? steps = null) =>
        new(inputs ?? [], steps ?? new Dictionary<string, JsonNode?>(), [],
            new JsonObject { ["id"] = Guid.Empty.ToString(), ["playbook"] = "Lead follow-up", ["version"] = 1 });

    public ActivityContext Context(JsonObject settings, RunScope? scope = null, WaitAnswer? answer = null, string nodeId = "step",
        Guid? runId = null, Guid? activation = null) =>
        new(runId ?? Guid.Parse("0195a1a0-0000-7000-8000-000000000001"), nodeId, 1, settings, scope ?? Scope(), Trace, _services)
        {
            Usage = Trace,
            Answer = answer,
            Activation = activation ?? Guid.Parse("0195a1a0-0000-7000-8000-0000000000aa"),
            Memory = Memory,
        };

    public async Task<ActivityResult> RunAsync(string kind, JsonObject settings, RunScope? scope = null, WaitAnswer? answer = null,
        string nodeId = "step", Guid? runId = null, Guid? activation = null) =>
        await Activity(kind).ExecuteAsync(Context(settings, scope, answer, nodeId, runId, activation), TestContext.Current.CancellationToken);

    public WaitAnswer Answer(AnswerKind kind, JsonNode? output = null) => new(kind, output, "operator", Now);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_database is not null)
        {
            SqliteConnection.ClearPool(new SqliteConnection(_database.ConnectionString));
        }

        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

/// <summary>Keeps the trace events and model usage an activity reports.</summary>
internal sealed class TestTrace : IStepTrace, IStepUsage
{
    public ConcurrentQueue<(string Kind, string Message, JsonNode? Data, TraceLevel Level)> Events { get; } = new();
    public ConcurrentQueue<(long TokensIn, long TokensOut, long CostMicros)> Usage { get; } = new();

    public IEnumerable<string> Kinds => Events.Select(e => e.Kind);

    public ValueTask WriteAsync(string kind, string message, JsonNode? data = null, TraceLevel level = TraceLevel.Info,
        CancellationToken cancellationToken = default)
    {
        Events.Enqueue((kind, message, data, level));
        return ValueTask.CompletedTask;
    }

    public ValueTask RecordAsync(long tokensIn, long tokensOut, long costMicros, CancellationToken cancellationToken = default)
    {
        Usage.Enqueue((tokensIn, tokensOut, costMicros));
        return ValueTask.CompletedTask;
    }

    public JsonNode? DataOf(string kind) => Events.Single(e => e.Kind == kind).Data;
}

/// <summary>
/// The effect ledger's contract in memory, for tests of an activity's own logic; the database ledger belongs to the
/// engine and has its own tests.
/// </summary>
internal sealed class InMemoryEffectLedger : IEffectLedger
{
    public ConcurrentDictionary<string, EffectRecord> Records { get; } = new(StringComparer.Ordinal);

    public ValueTask<EffectRecord> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Records.GetValueOrDefault(key) ?? new EffectRecord(key, EffectState.New, null));

    public ValueTask<EffectRecord> BeginAsync(string key, string description, CancellationToken cancellationToken)
    {
        var before = Records.GetValueOrDefault(key) ?? new EffectRecord(key, EffectState.New, null);
        if (before.State == EffectState.New)
        {
            Records[key] = new EffectRecord(key, EffectState.Started, null);
        }

        return ValueTask.FromResult(before);
    }

    public ValueTask CompleteAsync(string key, string resultJson, CancellationToken cancellationToken)
    {
        Records[key] = new EffectRecord(key, EffectState.Completed, resultJson);
        return ValueTask.CompletedTask;
    }
}

internal static class Json
{
    public static JsonObject Object(string json) => JsonNode.Parse(json)!.AsObject();
}
