using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks;
using BlazorOs.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Tests.Components.Approvals;

/// <summary>Real runs of the review playbook on the bUnit context's engine and store, for the inbox to answer.</summary>
internal sealed class InboxRuns(IServiceProvider services)
{
    private T Get<T>() where T : notnull => (T)services.GetService(typeof(T))!;

    /// <summary>Starts a run that waits on "Send it?" showing <paramref name="topic"/>; returns the run and its open question.</summary>
    public async Task<(Guid RunId, Guid ApprovalId)> StartReviewAsync(string topic)
    {
        var cancel = TestContext.Current.CancellationToken;
        var playbook = await Get<PlaybookService>().ImportAsync(ApiPlaybooks.Review(), cancel);
        var runId = await Get<IPlaybookEngine>().StartAsync(new StartRun(playbook.Id, new JsonObject { ["topic"] = topic }, RunTrigger.Manual), cancel);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await ApprovalOfAsync(runId) is { } approval)
            {
                return (runId, approval.Id);
            }

            Assert.True(DateTime.UtcNow < deadline, "The run opened no question in 20 s.");
            await Task.Delay(50, cancel);
        }
    }

    public async Task<Approval?> ApprovalOfAsync(Guid runId)
    {
        await using var db = await Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Approvals.AsNoTracking().SingleOrDefaultAsync(a => a.RunId == runId, TestContext.Current.CancellationToken);
    }
}
