using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>What every step of one run shares: the pinned definition and the run's identity and inputs.</summary>
public sealed record RunContext(
    Guid RunId,
    Guid PlaybookId,
    string PlaybookName,
    int Version,
    PlaybookDefinition Definition,
    JsonObject Inputs,
    DateTime StartedAt,
    Guid? ParentRunId)
{
    public JsonObject RunJson() => new()
    {
        ["id"] = RunId.ToString(),
        ["playbook"] = PlaybookName,
        ["playbookId"] = PlaybookId.ToString(),
        ["version"] = Version,
        ["startedAt"] = StartedAt.ToString("O"),
    };
}
