namespace BlazorOs.Core.Memory;

/// <summary>
/// Which scopes a playbook's steps may read (memory.read, the memory.search tool) and write (memory.write). Declared in
/// the playbook document as <c>"memory": { "read": ["business", "clients:*"], "write": ["business"] }</c>; a list left
/// out of a declared block allows nothing. A playbook without the block may read and write every scope, as before
/// scopes were enforced.
/// </summary>
public sealed record MemoryAccess(MemoryScopeSet Read, MemoryScopeSet Write)
{
    public static MemoryAccess Unrestricted { get; } = new(MemoryScopeSet.All, MemoryScopeSet.All);

    /// <summary>True when the playbook declared its access (the canonical document then writes it out).</summary>
    public bool Declared => !ReferenceEquals(this, Unrestricted);

    /// <summary>A step error for a scope the playbook may not read or write.</summary>
    public static string Refused(string nodeId, string verb, string scope, MemoryScopeSet allowed) =>
        $"Step '{nodeId}' may not {verb} memory scope '{scope}': the playbook's memory.{verb} allows {allowed}.";
}
