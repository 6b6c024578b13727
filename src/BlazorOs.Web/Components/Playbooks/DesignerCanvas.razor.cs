using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Drafts;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// Hosts the canvas and turns what designer.js reports into the designer's callbacks: moves, connections, deletions,
/// selection, palette drops and shortcuts. It holds no playbook state; the page's <see cref="PlaybookDraft"/> does.
/// With <see cref="ReadOnly"/> (the run page) it only shows the graph, reports clicks on steps and colours them by
/// their run status (<see cref="SetStatusAsync"/>).
/// </summary>
public sealed partial class DesignerCanvas : IAsyncDisposable
{
    private ElementReference _host;
    private DesignerInterop? _interop;
    private DotNetObjectReference<DesignerCanvas>? _self;
    private bool _created;
    private IReadOnlyDictionary<string, string>? _statuses;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ActivityCatalog Catalog { get; set; } = default!;

    /// <summary>The graph to draw first; later changes arrive through <see cref="ApplyAsync"/>.</summary>
    [Parameter, EditorRequired]
    public DraftState Initial { get; set; } = default!;

    [Parameter]
    public IReadOnlyDictionary<string, string[]> InitialProblems { get; set; } = new Dictionary<string, string[]>();

    /// <summary>Only pan, zoom and fit: no moving, connecting, deleting or editing keys.</summary>
    [Parameter]
    public bool ReadOnly { get; set; }

    /// <summary>A step was clicked on the read-only canvas.</summary>
    [Parameter]
    public EventCallback<string> OnNodeClick { get; set; }

    [Parameter]
    public EventCallback<IReadOnlyList<NodeMove>> OnNodesMoved { get; set; }

    [Parameter]
    public EventCallback<DraftEdge> OnConnect { get; set; }

    [Parameter]
    public EventCallback<(IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges)> OnDelete { get; set; }

    [Parameter]
    public EventCallback<(IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges)> OnSelectionChanged { get; set; }

    [Parameter]
    public EventCallback<(string Kind, double X, double Y)> OnPaletteDrop { get; set; }

    [Parameter]
    public EventCallback<(string Name, string? NodeId)> OnShortcut { get; set; }

    internal Task ApplyAsync(PatchView patch) => _interop?.ApplyPatchAsync(patch) ?? Task.CompletedTask;

    internal Task LoadAsync(DraftState state, IReadOnlyDictionary<string, string[]> problems) =>
        _interop?.LoadAsync(DesignerView.Graph(state, Catalog), problems) ?? Task.CompletedTask;

    internal Task SelectAsync(IReadOnlyList<string> ids) => _interop?.SelectAsync(ids) ?? Task.CompletedTask;

    /// <summary>Colours each step by its run status (node id → running, waiting, done, failed, skipped, pending).</summary>
    internal Task SetStatusAsync(IReadOnlyDictionary<string, string> statuses)
    {
        // Kept for the canvas to show once it exists: the page may know statuses before the first render.
        _statuses = statuses;
        return _created && _interop is not null ? _interop.SetStatusAsync(statuses) : Task.CompletedTask;
    }

    internal Task FitAsync() => _interop?.FitAsync() ?? Task.CompletedTask;

    internal Task ZoomAsync(double factor) => _interop?.ZoomAsync(factor) ?? Task.CompletedTask;

    internal Task ExportImageAsync(string fileName) => _interop?.ExportImageAsync(fileName) ?? Task.CompletedTask;

    internal async Task<IReadOnlyList<NodeMove>> LayoutAsync() => _interop is null ? [] : await _interop.LayoutAsync();

    protected override bool ShouldRender() => false;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _interop = new DesignerInterop(JS);
        _self = DotNetObjectReference.Create(this);
        try
        {
            await _interop.CreateAsync(_host, _self, DesignerView.Kinds(Catalog), DesignerView.Graph(Initial, Catalog), InitialProblems, ReadOnly);
            _created = true;
            if (_statuses is not null)
            {
                await _interop.SetStatusAsync(_statuses);
            }
        }
        catch (JSDisconnectedException)
        {
            // Left before the canvas was up.
        }
    }

    [JSInvokable("OnNodesMoved")]
    public Task OnNodesMovedAsync(string json) => OnNodesMoved.InvokeAsync(DesignerInterop.Read<List<NodeMove>>(json) ?? []);

    [JSInvokable("OnNodesMovedStream")]
    public async Task OnNodesMovedStreamAsync(IJSStreamReference stream) =>
        await OnNodesMoved.InvokeAsync(await DesignerInterop.ReadAsync<List<NodeMove>>(stream) ?? []);

    [JSInvokable("OnConnect")]
    public Task OnConnectAsync(string from, string port, string to) => OnConnect.InvokeAsync(new DraftEdge(from, port, to));

    [JSInvokable("OnDelete")]
    public Task OnDeleteAsync(string[] nodes, string[] edges) => OnDelete.InvokeAsync((nodes, edges));

    [JSInvokable("OnSelectionChanged")]
    public Task OnSelectionChangedAsync(string[] nodes, string[] edges) => OnSelectionChanged.InvokeAsync((nodes, edges));

    [JSInvokable("OnPaletteDrop")]
    public Task OnPaletteDropAsync(string kind, double x, double y) => OnPaletteDrop.InvokeAsync((kind, x, y));

    [JSInvokable("OnNodeClick")]
    public Task OnNodeClickAsync(string nodeId) => OnNodeClick.InvokeAsync(nodeId);

    [JSInvokable("OnShortcut")]
    public Task OnShortcutAsync(string name, string? nodeId) => OnShortcut.InvokeAsync((name, nodeId));

    public async ValueTask DisposeAsync()
    {
        if (_interop is not null)
        {
            await _interop.DisposeAsync();
        }

        _self?.Dispose();
    }
}
