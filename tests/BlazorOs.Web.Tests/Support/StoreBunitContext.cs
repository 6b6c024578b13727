using BlazorOs.Core;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Web.Auth;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace BlazorOs.Web.Tests.Support;

/// <summary>
/// bUnit with the app's real services on a real SQLite file in a temp folder of this test class instance: the
/// store is migrated before each test, the operator is signed in, JS interop is loose (MudBlazor's calls return
/// defaults) and the clock is the real one shifted to a fixed day.
/// </summary>
public abstract class StoreBunitContext : BunitContext, IAsyncLifetime
{
    private readonly TempDataFolder _folder = TempDataFolder.Create();
    private readonly ShiftedClock _clock = new();

    protected StoreBunitContext()
        : this(ModelEndpoint.None)
    {
    }

    /// <param name="model">What the services see as the model endpoint (e.g. one with an embeddings model).</param>
    protected StoreBunitContext(ModelEndpoint model)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // MudBlazor's debounce and the store run on real timers: give them time on a busy two-core machine.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Services.AddLogging();
        // Registered before the store, which adds the system clock only when none is registered.
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddBlazorOsCore(_folder.Database, model);
        Services.AddSingleton<OperatorAccount>();
        Services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgeryStateProvider>();
        Services.AddMudServices();
        AddAuthorization().SetAuthorized(OperatorAccount.OperatorName);
    }

    internal StoreSeeder Seed => new(Services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>(), _clock);

    internal T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Polls the store until the run has <paramref name="status"/>; fails with the run's status and error after 20 s.</summary>
    internal async Task WaitForRunAsync(Guid runId, RunStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            await using var db = await Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, Xunit.TestContext.Current.CancellationToken);
            if (run.Status == status)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The run is {run.Status} ({run.Error}), not {status}.");
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Approves the run's open approval as the operator "tester", once the run waits for it.</summary>
    internal async Task ApproveOpenAsync(Guid runId)
    {
        await WaitForRunAsync(runId, RunStatus.Suspended);
        await using var db = await Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        var approval = await db.Approvals.SingleAsync(a => a.RunId == runId && a.Status == ApprovalStatus.Open,
            Xunit.TestContext.Current.CancellationToken);
        await Get<IPlaybookEngine>().AnswerAsync(approval.Id, ApprovalDecision.Approve, null, "tester", Xunit.TestContext.Current.CancellationToken);
    }

    public async ValueTask InitializeAsync() =>
        await Get<DatabaseMigrator>().MigrateAsync(Xunit.TestContext.Current.CancellationToken);

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _folder.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _folder.Dispose();
        }
    }

    /// <summary>What the shell's sign-out form needs in order to render; the token's value is never checked here.</summary>
    private sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}
