using BlazorOs.E2E.Engine;
using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>Steps the Runs and inbox tests share: sign in, open a page once the circuit is up, the playbooks they run.</summary>
public abstract class RunsTest(BrowserFixture browser, RunsAppFixture app, ITestOutputHelper output) : BrowserTest(browser, app, output)
{
    internal EngineApiClient Api() => new(App.BaseAddress, RunsAppFixture.ApiKey);

    protected async Task SignInAndOpenAsync(string path)
    {
        await Page.GotoAsync("/signin");
        await SignInAsync(RunsAppFixture.OperatorPassword);
        await ExpectPathAsync("/");
        await Page.GotoAsync(path);
        await WaitForCircuitAsync();
    }

    /// <summary>start → review (approval of a draft) → sent / dropped ends; no inputs needed.</summary>
    protected static string ReviewPlaybook(string name) => $$"""
        { "schema": "blazoros/playbook@1", "name": "{{name}}", "delegation": "delegated",
          "nodes": [
            { "id": "start", "kind": "trigger.manual" },
            { "id": "review", "kind": "approval", "settings": { "question": "Send the Q3 report to the board?", "show": "Dear board, the Q3 report is attached." } },
            { "id": "sent", "kind": "end", "settings": { "outcome": "approved" } },
            { "id": "dropped", "kind": "end", "settings": { "outcome": "rejected" } }
          ],
          "edges": [
            { "from": "start", "to": "review" },
            { "from": "review", "port": "approved", "to": "sent" },
            { "from": "review", "port": "rejected", "to": "dropped" }
          ] }
        """;
}
