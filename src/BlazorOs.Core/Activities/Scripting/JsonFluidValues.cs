using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Fluid.Values;

namespace BlazorOs.Core.Activities.Scripting;

/// <summary>
/// Run data (JSON) as Liquid values. Strings, numbers and booleans become Fluid's own values; objects and arrays keep
/// their JSON so that <c>{{ steps.fetch.output }}</c> prints the object as JSON instead of Liquid's concatenation.
/// Values are data: Fluid never parses a string value as a template.
/// </summary>
internal static class JsonFluidValues
{
    public static FluidValue From(JsonNode? node) => node switch
    {
        null => NilValue.Instance,
        JsonObject obj => new JsonObjectValue(obj),
        JsonArray array => new JsonArrayValue(array),
        JsonValue value => FromScalar(value),
        _ => NilValue.Instance,
    };

    private static FluidValue FromScalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => new StringValue(value.GetValue<string>()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        JsonValueKind.Number => decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? NumberValue.Create(number)
            : new StringValue(value.ToJsonString()),
        _ => NilValue.Instance,
    };

    internal static string Json(JsonNode node) => node.ToJsonString(JsonOptions);

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        // Prompts and bodies are not HTML: keep non-ASCII text and quotes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>A JSON object: members by name, <c>size</c>, iteration as [key, value] pairs, printed as JSON.</summary>
internal sealed class JsonObjectValue(JsonObject node) : FluidValue
{
    public override FluidValues Type => FluidValues.Dictionary;

    public override bool Equals(FluidValue other) =>
        other is JsonObjectValue json ? JsonNode.DeepEquals(node, json.ToObjectValue() as JsonNode) : other.IsNil() && node.Count == 0;

    public override bool ToBooleanValue() => true;

    public override decimal ToNumberValue() => node.Count;

    public override string ToStringValue() => JsonFluidValues.Json(node);

    public override object ToObjectValue() => node;

    public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context) =>
        new(node.TryGetPropertyValue(name, out var member)
            ? JsonFluidValues.From(member)
            : name == "size" ? NumberValue.Create(node.Count) : NilValue.Instance);

    public override ValueTask<FluidValue> GetIndexAsync(FluidValue index, TemplateContext context) =>
        GetValueAsync(index.ToStringValue(), context);

    public override bool Contains(FluidValue value) => node.ContainsKey(value.ToStringValue());

    public override IEnumerable<FluidValue> Enumerate(TemplateContext context) =>
        node.Select(p => (FluidValue)new ArrayValue([new StringValue(p.Key), JsonFluidValues.From(p.Value)]));

    public override ValueTask WriteToAsync(TextWriter writer, TextEncoder encoder, CultureInfo cultureInfo)
    {
        encoder.Encode(writer, ToStringValue());
        return ValueTask.CompletedTask;
    }

    public override bool Equals(object? obj) => obj is FluidValue other && Equals(other);

    public override int GetHashCode() => node.GetHashCode();
}

/// <summary>A JSON array: index, <c>size</c>/<c>first</c>/<c>last</c>, iteration and array filters, printed as JSON.</summary>
internal sealed class JsonArrayValue(JsonArray node) : FluidValue
{
    public override FluidValues Type => FluidValues.Array;

    public override bool Equals(FluidValue other) =>
        other is JsonArrayValue json ? JsonNode.DeepEquals(node, json.ToObjectValue() as JsonNode) : other.IsNil() && node.Count == 0;

    public override bool ToBooleanValue() => true;

    public override decimal ToNumberValue() => node.Count;

    public override string ToStringValue() => JsonFluidValues.Json(node);

    public override object ToObjectValue() => node;

    public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context) => new(name switch
    {
        "size" => NumberValue.Create(node.Count),
        "first" when node.Count > 0 => JsonFluidValues.From(node[0]),
        "last" when node.Count > 0 => JsonFluidValues.From(node[^1]),
        _ => NilValue.Instance,
    });

    public override ValueTask<FluidValue> GetIndexAsync(FluidValue index, TemplateContext context)
    {
        var i = (int)index.ToNumberValue();
        if (i < 0)
        {
            i += node.Count;
        }

        return new(i >= 0 && i < node.Count ? JsonFluidValues.From(node[i]) : NilValue.Instance);
    }

    public override bool Contains(FluidValue value) => node.Any(item => JsonFluidValues.From(item).Equals(value));

    public override IEnumerable<FluidValue> Enumerate(TemplateContext context) => node.Select(JsonFluidValues.From);

    public override ValueTask WriteToAsync(TextWriter writer, TextEncoder encoder, CultureInfo cultureInfo)
    {
        encoder.Encode(writer, ToStringValue());
        return ValueTask.CompletedTask;
    }

    public override bool Equals(object? obj) => obj is FluidValue other && Equals(other);

    public override int GetHashCode() => node.GetHashCode();
}
