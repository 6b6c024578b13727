using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks.Definition;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>Asks for a run's inputs (typed as the playbook declares them) and starts it; closes with the run's id.</summary>
public sealed partial class RunDialog
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private List<string> _problems = [];
    private bool _starting;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private IPlaybookEngine Engine { get; set; } = default!;

    [Parameter]
    public Guid PlaybookId { get; set; }

    [Parameter]
    public int Version { get; set; }

    [Parameter]
    public IReadOnlyList<PlaybookInput> Inputs { get; set; } = [];

    private bool IsOn(string name) => _values.GetValueOrDefault(name) == "true";

    private void SetOn(string name, bool on) => _values[name] = on ? "true" : "false";

    private async Task StartAsync()
    {
        _problems = [];
        var inputs = new JsonObject();
        foreach (var input in Inputs)
        {
            var text = _values.GetValueOrDefault(input.Name);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (Convert(input, text.Trim()) is { } value)
            {
                inputs[input.Name] = value;
            }
            else
            {
                _problems.Add($"{input.Name}: '{text}' is not a {input.Type}.");
            }
        }

        if (_problems.Count > 0)
        {
            return;
        }

        _starting = true;
        try
        {
            var runId = await Engine.StartAsync(new StartRun(PlaybookId, inputs, RunTrigger.Manual));
            Dialog.Close(DialogResult.Ok(runId));
        }
        catch (RunStartException ex)
        {
            _problems = [.. ex.Problems.Select(p => p.Message)];
        }
        finally
        {
            _starting = false;
        }
    }

    private static JsonNode? Convert(PlaybookInput input, string text)
    {
        switch (input.Type)
        {
            case "number":
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : null;
            case "boolean":
                return bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : null;
            case "object":
                try
                {
                    return JsonNode.Parse(text) as JsonObject;
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return JsonValue.Create(text);
        }
    }
}
