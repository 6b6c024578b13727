using BlazorOs.Core.Activities;
using BlazorOs.Core.Execution.Engine;

namespace BlazorOs.Core.Playbooks.Definition;

/// <summary>
/// Parses stored versions for the engine. A stored version passed validation when it was saved; one that no longer
/// parses (an activity kind was removed) is reported with every problem rather than run half-understood.
/// </summary>
internal sealed class PlaybookDefinitionSource(ActivityCatalog catalog) : IPlaybookDefinitionSource
{
    public PlaybookDefinition Parse(string definitionJson)
    {
        var result = PlaybookDocument.Parse(definitionJson, catalog);
        return result.Definition ?? throw new PlaybookValidationException(result.Problems);
    }
}
