using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities;

/// <summary>Renders Liquid (Fluid) text settings over a run's scope. User text is data, never template syntax.</summary>
public interface ITemplateRenderer
{
    /// <summary>Null when the template parses; otherwise why not (for validation).</summary>
    string? Check(string template);

    /// <summary>Renders; throws <see cref="TemplateException"/> with a readable message on a bad template.</summary>
    string Render(string template, RunScope scope);
}

/// <summary>Evaluates JavaScript expressions (Jint) sandboxed with time, memory and recursion limits.</summary>
public interface IScriptEvaluator
{
    /// <summary>Null when the expression parses; otherwise why not (for validation).</summary>
    string? Check(string expression);

    /// <summary>The expression's value as JSON; throws <see cref="ScriptException"/> on error or when a limit is hit.</summary>
    JsonNode? Evaluate(string expression, RunScope scope);
}

public sealed class TemplateException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class ScriptException(string message, Exception? inner = null) : Exception(message, inner);
