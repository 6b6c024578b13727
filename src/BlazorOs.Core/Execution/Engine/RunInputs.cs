using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>Checks a run's inputs against the playbook's declared inputs, reporting every problem.</summary>
internal static class RunInputs
{
    public static IReadOnlyList<PlaybookProblem> Check(IReadOnlyList<PlaybookInput> declared, JsonObject given)
    {
        var problems = new List<PlaybookProblem>();
        foreach (var input in declared)
        {
            var value = given[input.Name];
            if (value is null)
            {
                if (input.Required)
                {
                    problems.Add(new PlaybookProblem(null, $"inputs.{input.Name}", "is required."));
                }

                continue;
            }

            var kind = value.GetValueKind();
            var fits = input.Type switch
            {
                "number" => kind == JsonValueKind.Number,
                "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                "object" => kind == JsonValueKind.Object,
                _ => kind == JsonValueKind.String,
            };
            if (!fits)
            {
                problems.Add(new PlaybookProblem(null, $"inputs.{input.Name}", $"must be a {input.Type}, not {kind.ToString().ToLowerInvariant()}."));
            }
        }

        foreach (var (name, _) in given)
        {
            if (declared.All(d => d.Name != name))
            {
                problems.Add(new PlaybookProblem(null, $"inputs.{name}", "is not an input of this playbook."));
            }
        }

        return problems;
    }

    /// <summary>The given inputs, with declared optional inputs that were left out present as null.</summary>
    public static JsonObject WithDefaults(IReadOnlyList<PlaybookInput> declared, JsonObject given)
    {
        var inputs = (JsonObject)given.DeepClone();
        foreach (var input in declared.Where(d => !inputs.ContainsKey(d.Name)))
        {
            inputs[input.Name] = null;
        }

        return inputs;
    }
}
