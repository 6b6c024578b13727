using BlazorOs.Core.Playbooks.Drafts;

namespace BlazorOs.Web.Tests.Components.Playbooks;

/// <summary>The CONTRACTS §1 example (the Core tests' contract-example.json) as a draft.</summary>
internal static class ContractExample
{
    public static readonly string Json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contract-example.json"));

    public static DraftState State() => DraftDocument.Read(Json);
}
