using System.Text.Json;
using BlazorOs.Core.Playbooks.Drafts;
using BlazorOs.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// The interop class of <c>dist/designer.js</c> (wwwroot-assets/src/designer): creates the X6 canvas in an element and
/// forwards the calls the designer makes on it. Results that can be large (an auto-layout of 500 nodes) come back as a
/// stream, because a JS→.NET message over 32 KB would close the circuit.
/// </summary>
internal sealed class DesignerInterop(IJSRuntime js) : JsModule(js, "./dist/designer.js")
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IJSObjectReference? _designer;

    public async Task CreateAsync<T>(ElementReference host, DotNetObjectReference<T> events, object kinds, GraphView view,
        IReadOnlyDictionary<string, string[]> problems, bool readOnly = false)
        where T : class =>
        _designer = await (await ModuleAsync()).InvokeAsync<IJSObjectReference>("createDesigner", host, events,
            new { kinds, view, problems, readOnly });

    public Task LoadAsync(GraphView view, IReadOnlyDictionary<string, string[]> problems) => CallAsync("load", view, problems);

    public Task ApplyPatchAsync(PatchView patch) => CallAsync("applyPatch", patch);

    public Task SelectAsync(IReadOnlyList<string> ids) => CallAsync("select", ids);

    public Task FitAsync() => CallAsync("fit");

    /// <summary>Colours steps by run status (status.js): node id → running, waiting, done, failed, skipped, pending.</summary>
    public Task SetStatusAsync(IReadOnlyDictionary<string, string> statuses) => CallAsync("setStatus", statuses);

    public Task ZoomAsync(double factor) => CallAsync("zoom", factor);

    public Task ExportImageAsync(string fileName) => CallAsync("exportImage", fileName);

    /// <summary>New positions for every node from dagre (left to right).</summary>
    public async Task<IReadOnlyList<NodeMove>> LayoutAsync()
    {
        if (_designer is null)
        {
            return [];
        }

        var stream = await _designer.InvokeAsync<IJSStreamReference>("layout");
        return await ReadAsync<List<NodeMove>>(stream) ?? [];
    }

    /// <summary>Reads a JSON payload the canvas sent as a stream.</summary>
    public static async Task<T?> ReadAsync<T>(IJSStreamReference stream)
    {
        await using var content = await stream.OpenReadStreamAsync(maxAllowedSize: 8 * 1024 * 1024);
        return await JsonSerializer.DeserializeAsync<T>(content, Json);
    }

    public static T? Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json);

    protected override async ValueTask DisposeCoreAsync()
    {
        if (_designer is null)
        {
            return;
        }

        try
        {
            await _designer.InvokeVoidAsync("dispose");
            await _designer.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The page is already gone; so is the canvas.
        }

        _designer = null;
    }

    private async Task CallAsync(string method, params object?[] args)
    {
        if (_designer is null)
        {
            return;
        }

        try
        {
            await _designer.InvokeVoidAsync(method, args);
        }
        catch (JSDisconnectedException)
        {
            // The circuit closed while the call was on its way.
        }
    }
}
