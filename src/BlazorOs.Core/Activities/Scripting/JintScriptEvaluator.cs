using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;
using Jint.Native.Json;
using Jint.Runtime;

namespace BlazorOs.Core.Activities.Scripting;

/// <summary>
/// JavaScript conditions in a sandbox: a fresh Jint engine per evaluation, strict mode, no CLR access, no
/// <c>eval</c>, and hard limits on time, memory, recursion and statements. The run's scope is handed over as plain JS
/// values (<c>inputs</c>, <c>steps</c>, <c>vars</c>, <c>run</c>) parsed from JSON, so scripts see data, not .NET objects.
/// </summary>
internal sealed class JintScriptEvaluator : IScriptEvaluator
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);
    public const long MemoryLimitBytes = 4 * 1024 * 1024;
    public const int MaxRecursion = 64;
    public const int MaxStatements = 10_000;

    /// <summary>The value an expression returns, as JSON, may not be larger than this (characters).</summary>
    public const int MaxResultChars = 256 * 1024;

    private const int CacheLimit = 2048;

    private readonly ConcurrentDictionary<string, Prepared<Script>> _cache = new(StringComparer.Ordinal);

    public string? Check(string expression) => TryPrepare(expression, out _, out var error) ? null : error;

    public JsonNode? Evaluate(string expression, RunScope scope)
    {
        if (!TryPrepare(expression, out var script, out var error))
        {
            throw new ScriptException($"The script does not parse: {error}");
        }

        using var engine = new Engine(options => options
            .Strict()
            .TimeoutInterval(Timeout)
            .LimitMemory(MemoryLimitBytes)
            .LimitRecursion(MaxRecursion)
            .MaxStatements(MaxStatements)
            .RegexTimeoutInterval(Timeout)
            .DisableStringCompilation());
        try
        {
            var parser = new JsonParser(engine);
            foreach (var (name, data) in scope.ToJson())
            {
                engine.SetValue(name, parser.Parse(data?.ToJsonString() ?? "null"));
            }

            // Jint checks its memory limit between statements; a single statement that allocates a lot (a huge
            // 'x'.repeat) finishes first. Measuring the same counter afterwards catches it.
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var value = engine.Evaluate(in script);
            if (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore > MemoryLimitBytes)
            {
                throw new MemoryLimitExceededException("allocated too much in one statement");
            }

            var json = value.IsUndefined() ? null : new JsonSerializer(engine).Serialize(value);
            if (json is null || json.IsUndefined())
            {
                return null;
            }

            var text = json.AsString();
            return text.Length > MaxResultChars
                ? throw new ScriptException($"The script's value is larger than {MaxResultChars / 1024} KiB.")
                : JsonNode.Parse(text);
        }
        catch (TimeoutException ex)
        {
            throw new ScriptException($"The script ran longer than {Timeout.TotalMilliseconds:0} ms.", ex);
        }
        catch (MemoryLimitExceededException ex)
        {
            throw new ScriptException($"The script used more than {MemoryLimitBytes / (1024 * 1024)} MB of memory.", ex);
        }
        catch (OutOfMemoryException ex)
        {
            throw new ScriptException($"The script used more than {MemoryLimitBytes / (1024 * 1024)} MB of memory.", ex);
        }
        catch (RecursionDepthOverflowException ex)
        {
            throw new ScriptException($"The script recursed deeper than {MaxRecursion} calls.", ex);
        }
        catch (StatementsCountOverflowException ex)
        {
            throw new ScriptException($"The script ran more than {MaxStatements:N0} statements (an endless loop?).", ex);
        }
        catch (JavaScriptException ex)
        {
            throw new ScriptException($"The script failed: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is JintException or InvalidOperationException or ArgumentException)
        {
            throw new ScriptException($"The script failed: {ex.Message}", ex);
        }
    }

    private bool TryPrepare(string expression, out Prepared<Script> script, out string error)
    {
        error = string.Empty;
        if (_cache.TryGetValue(expression, out script))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "the script is empty";
            return false;
        }

        try
        {
            script = Engine.PrepareScript(expression, strict: true);
        }
        catch (ScriptPreparationException ex)
        {
            error = (ex.InnerException?.Message ?? ex.Message).Replace("Could not prepare script: ", "", StringComparison.Ordinal);
            return false;
        }

        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache[expression] = script;
        return true;
    }
}
