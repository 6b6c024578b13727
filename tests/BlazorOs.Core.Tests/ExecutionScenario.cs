using BlazorOs.Core.Execution;
using BlazorOs.Core.Playbooks;

namespace BlazorOs.Core.Tests;

/// <summary>A stored playbook with one version, which a run needs before it can be stored.</summary>
internal static class ExecutionScenario
{
    public static async Task<PlaybookVersion> AddPlaybookAsync(TempStore store)
    {
        var playbook = Playbook.Create("Weekly invoicing", store.Now);
        var version = playbook.AddVersion("blazoros.graph/1", """{"nodes":[],"edges":[]}""", store.Now);
        await using var db = store.NewContext();
        db.Playbooks.Add(playbook);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return version;
    }

    public static async Task<Run> AddRunAsync(TempStore store, PlaybookVersion? version = null)
    {
        version ??= await AddPlaybookAsync(store);
        var run = Run.Start(version.PlaybookId, version.Id, version.Number, RunTrigger.Manual, """{"client":"acme"}""", store.Now);
        await using var db = store.NewContext();
        db.Runs.Add(run);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return run;
    }
}
