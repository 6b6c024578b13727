using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E;

/// <summary>A BlazorOs whose password was set at first start (BLAZOROS_OPERATOR_PASSWORD), seen without a session.</summary>
public sealed class OperatorAccessTests(BrowserFixture browser, ConfiguredAppFixture app, ITestOutputHelper output)
    : BrowserTest(browser, app, output), IClassFixture<ConfiguredAppFixture>
{
    [Fact]
    public async Task Pages_need_the_operator()
    {
        foreach (var (_, route, _) in FirstStartTests.Pages)
        {
            await Page.GotoAsync(route);
            await ExpectPathAsync("/signin");
            await Assertions.Expect(Button("Sign in")).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task Signing_in_returns_to_the_page_that_was_asked_for()
    {
        await Page.GotoAsync("/approvals");
        await ExpectPathAsync("/signin");

        await SignInAsync(ConfiguredAppFixture.OperatorPassword);

        await ExpectPathAsync("/approvals");
        await WaitForCircuitAsync();
        await Assertions.Expect(Heading("Approvals")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Setup_is_closed_once_a_password_exists()
    {
        await Page.GotoAsync("/setup");
        await ExpectPathAsync("/signin");
        await Assertions.Expect(Field("Confirm password")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await Page.GotoAsync("/signin");
        await SignInAsync(ConfiguredAppFixture.OperatorPassword);
        await ExpectPathAsync("/");
        await WaitForCircuitAsync();

        await Button("Sign out").ClickAsync();
        await ExpectPathAsync("/signin");

        await Page.GotoAsync("/settings");
        await ExpectPathAsync("/signin");
    }
}
