using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Runs;

/// <summary>A BlazorOs with an operator password (the browser) and an API key (the test starts runs and reads traces).</summary>
public sealed class RunsAppFixture : BlazorOsAppFixture
{
    public const string OperatorPassword = "e2e-runs-password-1";
    public const string ApiKey = "e2e-runs-api-key-0123456789abcdef";

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment { get; } = new Dictionary<string, string>
    {
        ["BLAZOROS_OPERATOR_PASSWORD"] = OperatorPassword,
        ["BLAZOROS_API_KEY"] = ApiKey,
    };
}
