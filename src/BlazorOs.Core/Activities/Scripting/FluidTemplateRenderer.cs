using System.Collections.Concurrent;
using System.Globalization;
using Fluid;
using Microsoft.Extensions.FileProviders;

namespace BlazorOs.Core.Activities.Scripting;

/// <summary>
/// Liquid over a run's scope (<c>inputs</c>, <c>steps.&lt;id&gt;.output</c>, <c>vars</c>, <c>run</c>). Values are handed
/// to Fluid as data, so text a lead typed into a form, <c>{{ like this }}</c>, is printed, never evaluated. Loops are
/// bounded by a step limit and the output by a size limit; includes have no files to read.
/// </summary>
internal sealed class FluidTemplateRenderer : ITemplateRenderer
{
    /// <summary>Statements a template may run (a <c>for</c> over a huge range stops here).</summary>
    public const int MaxSteps = 100_000;

    /// <summary>Characters a rendered template may have (1 MiB).</summary>
    public const int MaxOutputChars = 1 << 20;

    private const int CacheLimit = 2048;

    private readonly FluidParser _parser = new(new FluidParserOptions { AllowFunctions = false });
    private readonly ConcurrentDictionary<string, IFluidTemplate> _cache = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options;

    public FluidTemplateRenderer(TimeProvider clock)
    {
        _options = new TemplateOptions
        {
            MaxSteps = MaxSteps,
            MaxRecursion = 16,
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            Now = clock.GetUtcNow,
            FileProvider = new NullFileProvider(),
        };
    }

    public string? Check(string template) => TryParse(template, out _, out var error) ? null : error;

    public string Render(string template, RunScope scope)
    {
        if (!HasSyntax(template))
        {
            return template;
        }

        if (!TryParse(template, out var parsed, out var error))
        {
            throw new TemplateException($"The template does not parse: {error}");
        }

        var context = new TemplateContext(_options);
        foreach (var (name, value) in scope.ToJson())
        {
            context.SetValue(name, JsonFluidValues.From(value));
        }

        using var writer = new BoundedWriter(MaxOutputChars);
        try
        {
            // Nothing in a template awaits real I/O (includes have no files), so this completes synchronously.
            parsed.RenderAsync(writer, context, NullEncoder.Default, isolateContext: false).AsTask().GetAwaiter().GetResult();
        }
        catch (OutputTooLongException)
        {
            throw new TemplateException($"The template's output is longer than {MaxOutputChars / 1024} KiB.");
        }
        catch (InvalidOperationException ex)
        {
            // Fluid reports the step limit with its recursion message; both mean the template does too much.
            throw new TemplateException($"The template ran more than {MaxSteps:N0} steps or nested too deeply (a loop is too large).", ex);
        }
        catch (FileNotFoundException ex)
        {
            throw new TemplateException("Templates cannot include other files.", ex);
        }
        catch (Exception ex) when (ex is not TemplateException and not OperationCanceledException)
        {
            throw new TemplateException($"The template failed: {ex.Message}", ex);
        }

        return writer.ToString();
    }

    private static bool HasSyntax(string template) =>
        template.Contains("{{", StringComparison.Ordinal) || template.Contains("{%", StringComparison.Ordinal);

    private bool TryParse(string template, out IFluidTemplate parsed, out string error)
    {
        if (_cache.TryGetValue(template, out parsed!))
        {
            error = string.Empty;
            return true;
        }

        if (!_parser.TryParse(template, out parsed, out var message))
        {
            // Fluid appends the source after the position; the first line says what and where.
            error = (message ?? "invalid template").Split('\n')[0].Trim();
            return false;
        }

        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache[template] = parsed;
        error = string.Empty;
        return true;
    }

    private sealed class OutputTooLongException : Exception;

    /// <summary>A string writer that stops a template whose output passes the limit, instead of filling memory.</summary>
    private sealed class BoundedWriter(int limit) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            Reserve(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Reserve(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Reserve(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Reserve(buffer.Length);
            base.Write(buffer);
        }

        private void Reserve(int count)
        {
            if (GetStringBuilder().Length + count > limit)
            {
                throw new OutputTooLongException();
            }
        }
    }
}
