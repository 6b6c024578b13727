using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E;

/// <summary>What survives the app being killed and started again on the same data folder.</summary>
public sealed class RestartTests(BrowserFixture browser, ConfiguredAppFixture app, ITestOutputHelper output)
    : BrowserTest(browser, app, output), IClassFixture<ConfiguredAppFixture>
{
    [Fact]
    public async Task The_operator_stays_signed_in_across_a_restart()
    {
        await Page.GotoAsync("/signin");
        await SignInAsync(ConfiguredAppFixture.OperatorPassword);
        await ExpectPathAsync("/");
        await WaitForCircuitAsync();

        // Killed, not stopped: the session cookie must still open the pages afterwards, which needs the
        // data-protection keys (and the store) to live in the data folder.
        await App.RestartAsync();

        await Page.GotoAsync("/goals");
        await ExpectPathAsync("/goals");
        await WaitForCircuitAsync();
        await Assertions.Expect(Heading("Goals")).ToBeVisibleAsync();
    }
}
