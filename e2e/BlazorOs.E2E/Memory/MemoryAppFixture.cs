using BlazorOs.E2E.Infrastructure;

namespace BlazorOs.E2E.Memory;

/// <summary>A BlazorOs with an operator password (for the browser) and an API key (to import and run playbooks).</summary>
public sealed class MemoryAppFixture : BlazorOsAppFixture
{
    public const string OperatorPassword = "e2e-memory-password-1";
    public const string ApiKey = "e2e-memory-key-0123456789abcdefghij";

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment { get; } = new Dictionary<string, string>
    {
        ["BLAZOROS_OPERATOR_PASSWORD"] = OperatorPassword,
        ["BLAZOROS_API_KEY"] = ApiKey,
    };
}
