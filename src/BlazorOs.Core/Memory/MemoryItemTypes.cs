namespace BlazorOs.Core.Memory;

/// <summary>The kinds of memory item by the names the API, search, revisions and retention rules use.</summary>
public static class MemoryItemTypes
{
    public const string Fact = "fact";
    public const string Decision = "decision";
    public const string Record = "record";
    public const string Summary = "summary";

    /// <summary>Not a memory item, but retention and condensation rules may name it: the trace events of ended runs.</summary>
    public const string Trace = "trace";

    public static IReadOnlyList<string> Items { get; } = [Fact, Decision, Record, Summary];

    public static IReadOnlyList<string> Retainable { get; } = [Fact, Decision, Record, Summary, Trace];
}
