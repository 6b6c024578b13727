using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BlazorOs.Core.Activities.Scripting;

/// <summary>
/// The values an expression saw: each path over <c>inputs</c>, <c>steps</c>, <c>vars</c> or <c>run</c> it names,
/// evaluated on its own. The run page shows them beside the branch taken, so the operator reads why a condition
/// went one way ("steps.score.output.value = 0.42") instead of re-running it in their head.
/// </summary>
internal static partial class ExpressionWitness
{
    public const int MaxPaths = 12;
    private const int MaxValueChars = 500;

    public static JsonObject Collect(string expression, RunScope scope, IScriptEvaluator scripts)
    {
        var seen = new JsonObject();
        foreach (var path in PathsIn(expression).Take(MaxPaths))
        {
            try
            {
                var value = scripts.Evaluate(path, scope);
                var text = value?.ToJsonString();
                seen[path] = text is { Length: > MaxValueChars } ? JsonValue.Create(ActivitySettings.Truncate(text, MaxValueChars)) : value?.DeepClone();
            }
            catch (ScriptException ex)
            {
                seen[path] = JsonValue.Create($"(could not read: {ex.Message})");
            }
        }

        return seen;
    }

    /// <summary>Distinct longest paths, in order of appearance; a path that is called (<c>x.startsWith(…)</c>) loses its method.</summary>
    internal static IEnumerable<string> PathsIn(string expression)
    {
        var paths = new List<string>();
        foreach (Match match in PathPattern().Matches(expression))
        {
            var path = match.Value;
            var next = match.Index + match.Length;
            if (next < expression.Length && expression[next] == '(')
            {
                var cut = path.LastIndexOf('.');
                path = cut > 0 ? path[..cut] : path;
            }

            if (path.Contains('.', StringComparison.Ordinal) || path.Contains('[', StringComparison.Ordinal))
            {
                if (!paths.Contains(path, StringComparer.Ordinal))
                {
                    paths.Add(path);
                }
            }
        }

        return paths;
    }

    [GeneratedRegex("""(?<![\w$.])(?:inputs|steps|vars|run)(?:\.[A-Za-z_$][\w$]*|\[\s*(?:'[^'\]]*'|"[^"\]]*"|\d+)\s*\])+""")]
    private static partial Regex PathPattern();
}
