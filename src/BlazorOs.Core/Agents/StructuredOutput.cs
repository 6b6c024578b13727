using System.Text.Json;
using System.Text.Json.Nodes;

namespace BlazorOs.Core.Agents;

/// <summary>
/// Structured output the portable way: JSON mode (<c>response_format: json_object</c>, which Ollama, LM
/// Studio and vLLM also honour) plus the schema in the system prompt, then our own check of the reply.
/// The check covers the part of JSON Schema that output schemas use — <c>type</c>, <c>properties</c>,
/// <c>required</c>, <c>additionalProperties: false</c>, <c>items</c>, <c>enum</c> — and ignores the rest.
/// </summary>
internal static class StructuredOutput
{
    public static string Instructions(JsonNode schema) =>
        "Answer with a single JSON value and nothing else (no prose, no code fences). It must match this JSON schema:\n"
        + schema.ToJsonString();

    /// <summary>The reply as JSON when it parses and matches; else null and what is wrong with it.</summary>
    public static JsonNode? TryParse(string text, JsonNode schema, out string problem)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(StripFence(text));
        }
        catch (JsonException ex)
        {
            problem = $"not JSON ({ex.Message})";
            return null;
        }

        var problems = new List<string>();
        if (node is null)
        {
            problems.Add("the answer is JSON null");
        }
        else
        {
            Check(node, schema, "$", problems);
        }

        problem = string.Join("; ", problems.Take(5));
        return problems.Count == 0 ? node : null;
    }

    /// <summary>Local models often wrap JSON in a Markdown fence even in JSON mode.</summary>
    private static string StripFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return trimmed;
        }

        var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return firstLineEnd < 0 ? trimmed : trimmed[(firstLineEnd + 1)..^3].Trim();
    }

    private static void Check(JsonNode? value, JsonNode? schema, string path, List<string> problems)
    {
        if (schema is not JsonObject rules)
        {
            return;
        }

        if (rules["enum"] is JsonArray choices && !choices.Any(c => JsonNode.DeepEquals(c, value)))
        {
            problems.Add($"{path} is not one of {choices.ToJsonString()}");
            return;
        }

        if (TypesOf(rules["type"]) is { Count: > 0 } types && !types.Any(t => HasType(value, t)))
        {
            problems.Add($"{path} should be {string.Join(" or ", types)}, not {KindOf(value)}");
            return;
        }

        if (value is JsonObject obj)
        {
            CheckObject(obj, rules, path, problems);
        }
        else if (value is JsonArray array && rules["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], itemSchema, $"{path}[{i}]", problems);
            }
        }
    }

    private static void CheckObject(JsonObject obj, JsonObject rules, string path, List<string> problems)
    {
        if (rules["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>().Where(n => !obj.ContainsKey(n)))
            {
                problems.Add($"{path}.{name} is required");
            }
        }

        var properties = rules["properties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject childSchema)
            {
                Check(child, childSchema, $"{path}.{name}", problems);
            }
            else if (rules["additionalProperties"] is JsonValue extra && extra.TryGetValue<bool>(out var allowed) && !allowed)
            {
                problems.Add($"{path}.{name} is not allowed");
            }
        }
    }

    private static List<string> TypesOf(JsonNode? type) => type switch
    {
        JsonValue single when single.TryGetValue<string>(out var name) => [name],
        JsonArray many => [.. many.Select(t => t?.GetValue<string>()).OfType<string>()],
        _ => [],
    };

    private static bool HasType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value?.GetValueKind() == JsonValueKind.String,
        "number" => value?.GetValueKind() == JsonValueKind.Number,
        "integer" => value?.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<decimal>(out var n) && n % 1 == 0,
        "boolean" => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "null" => value is null,
        _ => true,
    };

    private static string KindOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString()!.ToLowerInvariant(),
    };
}
