using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Drafts;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// What a Liquid text setting can use in this playbook (its inputs, the other steps' outputs) and a preview of the
/// template over placeholder values, so a typo shows before the first run.
/// </summary>
public sealed class TemplateHints(ITemplateRenderer templates, DraftState state, string nodeId)
{
    public string Hint
    {
        get
        {
            var names = state.Info.Inputs.Select(i => $"{{{{ inputs.{i.Name} }}}}")
                .Concat(state.Nodes.Where(n => n.Id != nodeId).Take(2).Select(n => $"{{{{ steps.{n.Id}.output }}}}"))
                .ToList();
            return names.Count == 0 ? "Liquid template: {{ inputs.name }}, {{ steps.id.output }}, {{ run.id }}." : $"Liquid template: {string.Join(", ", names)}";
        }
    }

    /// <summary>The rendered text, or why it does not render; null when there is nothing to preview.</summary>
    public (string Text, bool Failed)? Preview(string? template)
    {
        if (string.IsNullOrEmpty(template) || !(template.Contains("{{", StringComparison.Ordinal) || template.Contains("{%", StringComparison.Ordinal)))
        {
            return null;
        }

        var inputs = new JsonObject();
        foreach (var input in state.Info.Inputs)
        {
            inputs[input.Name] = $"‹{input.Name}›";
        }

        var outputs = state.Nodes.ToDictionary(n => n.Id, n => (JsonNode?)JsonValue.Create($"‹output of {n.Id}›"), StringComparer.Ordinal);
        var scope = new RunScope(inputs, outputs, [], new JsonObject { ["id"] = "‹run id›", ["playbook"] = state.Info.Name });
        try
        {
            return (templates.Render(template, scope), false);
        }
        catch (TemplateException ex)
        {
            return (ex.Message, true);
        }
    }
}
