using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>What every step of one run shares: the pinned definition and the run's identity and inputs.</summary>
/// <param name="Resumed">
/// Launched by a resume (restart, or an answer for a run that was not live): steps may find their activation already in
/// the store and replay it. A run launched fresh in this process cannot, so its steps skip that lookup.
/// </param>
public sealed record RunContext(
    Guid RunId,
    Guid PlaybookId,
    string PlaybookName,
    int Version,
    PlaybookDefinition Definition,
    JsonObject Inputs,
    DateTime StartedAt,
    Guid? ParentRunId,
    bool Resumed = false)
{
    /// <summary>Outputs of the run's finished steps, kept while the run is live so a step does not read them back.</summary>
    internal StepOutputs Outputs { get; } = new(loaded: !Resumed);

    public JsonObject RunJson() => new()
    {
        ["id"] = RunId.ToString(),
        ["playbook"] = PlaybookName,
        ["playbookId"] = PlaybookId.ToString(),
        ["version"] = Version,
        ["startedAt"] = StartedAt.ToString("O"),
    };
}
