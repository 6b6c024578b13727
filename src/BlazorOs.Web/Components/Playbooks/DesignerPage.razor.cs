using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Playbooks.Drafts;
using BlazorOs.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// The visual designer (<c>/playbooks/{id}</c>). The page holds the <see cref="PlaybookDraft"/>: every edit from the
/// canvas, the palette or a panel becomes a command on it, the draft is validated after each one, and the difference
/// goes back to the canvas as a patch with the new problem badges. Save writes a new immutable version when the
/// validator finds nothing wrong.
/// </summary>
public sealed partial class DesignerPage : IAsyncDisposable
{
    private const int TabStep = 0;
    private const int TabProblems = 3;
    private const double PasteOffset = 40;

    private PlaybookDraft? _draft;
    private DesignerCanvas? _canvas;
    private AppInterop? _app;
    private bool _loaded;
    private bool _saving;
    private int _latest;
    private int _tab;
    private int _pastes;
    private int _revision;
    private IReadOnlyList<PlaybookProblem> _problems = [];
    private Dictionary<string, string[]> _problemsByNode = [];
    private List<VersionRow> _versions = [];
    private List<(Guid Id, string Name)> _playbooks = [];
    private IReadOnlyList<string> _selectedNodes = [];
    private (List<DraftNode> Nodes, List<DraftEdge> Edges)? _clipboard;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private PlaybookService Playbooks { get; set; } = default!;

    [Inject]
    private ActivityCatalog Catalog { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private DraftNode? SelectedNode => _selectedNodes.Count == 1 ? _draft?.State.Node(_selectedNodes[0]) : null;

    protected override async Task OnParametersSetAsync()
    {
        // The canvas only starts once the circuit is up: prerendering would open and validate the playbook a second
        // time (a 500-step one takes a while) for a page that shows a progress bar meanwhile anyway.
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        var playbook = await Playbooks.GetAsync(Id);
        if (playbook is not null)
        {
            var latest = playbook.Versions.Single(v => v.Number == playbook.LatestVersion);
            _draft = PlaybookDraft.Open(latest.Definition, Catalog);
            _latest = playbook.LatestVersion;
            _versions = VersionRow.Of(playbook);
            _playbooks = [.. (await Playbooks.ListAsync()).Where(p => p.Id != Id).Select(p => (p.Id, p.Name))];
            Validate();
        }

        _loaded = true;
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    /// <summary>Runs a command; a refused one is explained in a snackbar and changes nothing.</summary>
    private async Task RunCommandAsync(DraftCommand command)
    {
        DraftChange change;
        try
        {
            change = _draft!.Execute(command);
        }
        catch (DraftCommandException ex)
        {
            _revision++;
            Snackbar.Add(ex.Message, Severity.Warning);
            return;
        }

        // New steps are selected; so is a renamed one (to the canvas it is a step removed and another added).
        await ShowAsync(change, command is AddNodeCommand or PasteCommand || command is UpdateNodeCommand { NewId: var newId, Id: var oldId } && newId != oldId
            ? [.. change.AddedNodes.Select(n => n.Id)]
            : null);
    }

    private async Task ShowAsync(DraftChange change, IReadOnlyList<string>? select = null)
    {
        _revision++;
        if (change.IsEmpty)
        {
            StateHasChanged();
            return;
        }

        Validate();
        if (select is { Count: > 0 })
        {
            _selectedNodes = select;
            _tab = TabStep;
        }

        _selectedNodes = [.. _selectedNodes.Where(id => _draft!.State.Node(id) is not null)];
        if (_canvas is not null)
        {
            await _canvas.ApplyAsync(DesignerView.Patch(change, Catalog, _problemsByNode, select));
        }

        StateHasChanged();
    }

    private void Validate()
    {
        _problems = Playbooks.Validate(_draft!.ToJson()).Problems;
        _problemsByNode = DesignerView.ProblemsByNode(_problems);
    }

    private Task MovedAsync(IReadOnlyList<NodeMove> moves) => RunCommandAsync(new MoveNodesCommand(moves));

    private Task ConnectAsync(DraftEdge edge) => RunCommandAsync(new ConnectCommand(edge.From, edge.Port, edge.To));

    private Task DeleteAsync((IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges) items) =>
        RunCommandAsync(new DeleteCommand(items.Nodes, items.Edges));

    private Task DropAsync((string Kind, double X, double Y) drop) => RunCommandAsync(new AddNodeCommand(drop.Kind, drop.X, drop.Y));

    /// <summary>A palette click: after the one selected step (connected from its first port), else right of everything.</summary>
    private Task AddAfterSelectionAsync(string kind)
    {
        var state = _draft!.State;
        if (SelectedNode is { } after)
        {
            return RunCommandAsync(new AddNodeCommand(kind, 0, 0, after.Id));
        }

        var x = state.Nodes.Count == 0 ? 0 : state.Nodes.Max(n => n.X) + DraftCommand.StepGap;
        var y = state.Nodes.Count == 0 ? 0 : state.Nodes.Min(n => n.Y);
        return RunCommandAsync(new AddNodeCommand(kind, x, y));
    }

    private void SelectionChanged((IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges) selection)
    {
        _selectedNodes = selection.Nodes;
        if (selection.Nodes.Count == 1)
        {
            _tab = TabStep;
        }
    }

    private async Task UndoAsync() => await ShowAsync(_draft!.Undo());

    private async Task RedoAsync() => await ShowAsync(_draft!.Redo());

    private async Task LayoutAsync()
    {
        var moves = await _canvas!.LayoutAsync();
        await RunCommandAsync(new MoveNodesCommand(moves, "Auto-layout"));
        await _canvas.FitAsync();
    }

    private void Copy()
    {
        var state = _draft!.State;
        var ids = _selectedNodes.ToHashSet(StringComparer.Ordinal);
        _clipboard = ([.. state.Nodes.Where(n => ids.Contains(n.Id))], [.. state.Edges.Where(e => ids.Contains(e.From) && ids.Contains(e.To))]);
        _pastes = 0;
    }

    private Task PasteAsync()
    {
        if (_clipboard is not { Nodes.Count: > 0 } clipboard)
        {
            return Task.CompletedTask;
        }

        _pastes++;
        return RunCommandAsync(new PasteCommand(clipboard.Nodes, clipboard.Edges, PasteOffset * _pastes, PasteOffset * _pastes));
    }

    private async Task ShortcutAsync((string Name, string? NodeId) shortcut)
    {
        switch (shortcut.Name)
        {
            case "undo":
                await UndoAsync();
                break;
            case "redo":
                await RedoAsync();
                break;
            case "copy":
                Copy();
                break;
            case "paste":
                await PasteAsync();
                break;
            case "duplicate":
                Copy();
                await PasteAsync();
                break;
            case "save":
                await SaveAsync();
                break;
            case "layout":
                await LayoutAsync();
                break;
            case "help":
                await ShowShortcutsAsync();
                break;
            case "properties" when shortcut.NodeId is { } id:
                _selectedNodes = [id];
                _tab = TabStep;
                break;
        }

        StateHasChanged();
    }

    // ---- save, versions, files, run -----------------------------------------------------------------------

    private async Task SaveAsync()
    {
        if (_saving)
        {
            return;
        }

        _saving = true;
        try
        {
            var saved = await Playbooks.SaveVersionAsync(Id, _draft!.ToJson());
            _draft.MarkSaved();
            _revision++;
            var created = saved.Version != _latest;
            _latest = saved.Version;
            if (await Playbooks.GetAsync(Id) is { } playbook)
            {
                _versions = VersionRow.Of(playbook);
            }

            Snackbar.Add(created ? $"Saved as version {saved.Version}." : $"No change since version {saved.Version}.", Severity.Success);
        }
        catch (PlaybookValidationException ex)
        {
            _problems = ex.Problems;
            _problemsByNode = DesignerView.ProblemsByNode(_problems);
            await _canvas!.ApplyAsync(DesignerView.Patch(DraftChange.None, Catalog, _problemsByNode));
            _tab = TabProblems;
            Snackbar.Add($"Not saved: {(ex.Problems.Count == 1 ? "1 problem" : $"{ex.Problems.Count} problems")} to fix first (marked on the steps).", Severity.Error);
        }
        catch (KeyNotFoundException)
        {
            Snackbar.Add("This playbook was deleted meanwhile; export it to keep your work.", Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task RestoreAsync(int number)
    {
        if (await Playbooks.GetVersionAsync(Id, number) is not { } json)
        {
            return;
        }

        await ReplaceAsync(DraftDocument.Read(json), $"Restore version {number}");
        Snackbar.Add($"Version {number} is on the canvas. Save to make it the latest version.", Severity.Info);
    }

    private async Task ReplaceAsync(DraftState state, string reason)
    {
        _selectedNodes = [];
        await RunCommandAsync(new ReplaceCommand(state, reason));
        await _canvas!.FitAsync();
    }

    private async Task ImportAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        if (file.Size > PlaybookDocument.MaxBytes)
        {
            Snackbar.Add($"{file.Name} is larger than 1 MiB, the most a playbook may be.", Severity.Error);
            return;
        }

        string json;
        await using (var stream = file.OpenReadStream(PlaybookDocument.MaxBytes))
        using (var reader = new StreamReader(stream))
        {
            json = await reader.ReadToEndAsync();
        }

        try
        {
            await ReplaceAsync(DraftDocument.Read(json), $"Import {file.Name}");
            Snackbar.Add(_problems.Count == 0 ? $"Imported {file.Name}." : $"Imported {file.Name} with {_problems.Count} problem(s) to fix.",
                _problems.Count == 0 ? Severity.Success : Severity.Warning);
        }
        catch (FormatException ex)
        {
            Snackbar.Add($"{file.Name}: {ex.Message}", Severity.Error);
        }
    }

    private Task ExportJsonAsync() => DownloadAsync(_draft!.State.Info.Name, _draft.ToJson());

    private async Task ExportVersionAsync(int number)
    {
        if (await Playbooks.GetVersionAsync(Id, number) is { } json)
        {
            await DownloadAsync($"{_draft!.State.Info.Name} v{number}", json);
        }
    }

    private async Task DownloadAsync(string name, string json)
    {
        _app ??= new AppInterop(JS);
        await _app.DownloadTextAsync($"{name}.json", json);
    }

    private Task ExportImageAsync() => _canvas!.ExportImageAsync($"{_draft!.State.Info.Name}.svg");

    private async Task RunAsync()
    {
        if (_draft!.IsDirty)
        {
            var save = await Dialogs.ShowMessageBoxAsync("Save before running?",
                $"A run uses the latest saved version (v{_latest}); your unsaved changes would not be in it.",
                yesText: "Save and run", noText: $"Run v{_latest}", cancelText: "Cancel");
            if (save is null)
            {
                return;
            }

            if (save == true)
            {
                await SaveAsync();
                if (_draft.IsDirty)
                {
                    return;
                }
            }
        }

        var inputs = DraftDocument.Read(await Playbooks.GetVersionAsync(Id, _latest) ?? "{}").Info.Inputs;
        var parameters = new DialogParameters<RunDialog>
        {
            { d => d.PlaybookId, Id },
            { d => d.Version, _latest },
            { d => d.Inputs, inputs },
        };
        var dialog = await Dialogs.ShowAsync<RunDialog>($"Run {_draft.State.Info.Name}", parameters);
        if (await dialog.Result is { Canceled: false, Data: Guid runId })
        {
            Navigation.NavigateTo($"/runs/{runId}");
        }
    }

    private async Task ShowShortcutsAsync() =>
        await Dialogs.ShowAsync<ShortcutsDialog>("Keyboard shortcuts", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });

    private void ShowProblems() => _tab = TabProblems;

    private async Task FocusProblemAsync(PlaybookProblem problem)
    {
        if (problem.NodeId is { } id && _draft!.State.Node(id) is not null)
        {
            _selectedNodes = [id];
            _tab = TabStep;
            await _canvas!.SelectAsync([id]);
        }
        else
        {
            _tab = 1;
        }
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (_draft?.IsDirty != true)
        {
            return;
        }

        var leave = await Dialogs.ShowMessageBoxAsync("Leave without saving?",
            "Your changes to this playbook are not saved. They are lost when you leave.", yesText: "Leave", cancelText: "Stay");
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
