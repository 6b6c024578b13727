using BlazorOs.Core.Memory;

namespace BlazorOs.Web.Components.Memory;

/// <summary>The page of each memory item: <c>/memory/{facts|decisions|records|summaries}/{id}</c>.</summary>
internal static class MemoryLinks
{
    public static string Of(string type, Guid id) => type switch
    {
        MemoryItemTypes.Fact => $"/memory/facts/{id}",
        MemoryItemTypes.Decision => $"/memory/decisions/{id}",
        MemoryItemTypes.Record => $"/memory/records/{id}",
        _ => $"/memory/summaries/{id}",
    };
}
