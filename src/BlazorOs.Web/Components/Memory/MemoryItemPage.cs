using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>
/// What the fact, decision and record pages share: the item loads again whenever its id changes, with the names of the runs
/// its provenance chain links to; a revert asks for a reason beside the change (<see cref="RevertDialog"/>), is made by the
/// signed-in operator, and reloads the page.
/// </summary>
public abstract class MemoryItemPage : ComponentBase
{
    [Inject]
    private protected IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private protected ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private protected TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private protected bool Loaded { get; private set; }

    /// <summary>"run of {playbook} v{n} ({status})" by run id, for every run the item's provenance names.</summary>
    private protected IReadOnlyDictionary<Guid, string> Runs { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>How the page names its item: <c>fact</c>, <c>decision</c>, <c>record</c>.</summary>
    private protected abstract string What { get; }

    /// <summary>The item's revision as last loaded; null when it does not exist.</summary>
    private protected abstract int? CurrentRevision { get; }

    protected override Task OnParametersSetAsync() => LoadAsync();

    /// <summary>Loads the item and its revisions; returns the run ids its provenance chain names.</summary>
    private protected abstract Task<IEnumerable<Guid?>> LoadItemAsync();

    private protected async Task LoadAsync()
    {
        Runs = await RunNames.OfAsync(DbFactory, await LoadItemAsync());
        Loaded = true;
    }

    /// <summary>The signed-in operator, on this page.</summary>
    private protected Provenance Operator(string action) =>
        Provenance.Of(ProvenanceSource.Operator, OperatorAccount.OperatorName, Clock.GetUtcNow().UtcDateTime, detail: $"{action} on the {What}'s page");

    /// <summary>Shows <paramref name="change"/>, asks why, and calls <paramref name="revert"/> with the operator and the reason.</summary>
    private protected async Task ConfirmRevertAsync(int number, RenderFragment change, Func<Provenance, string, Task> revert)
    {
        var parameters = new DialogParameters<RevertDialog>
        {
            { d => d.What, What },
            { d => d.Number, number },
            { d => d.Change, change },
            { d => d.Revert, reason => revert(Operator("Reverted"), reason) },
        };
        var dialog = await Dialogs.ShowAsync<RevertDialog>($"Revert to revision {number}?", parameters);
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
            Snackbar.Add($"Reverted to revision {number}: now revision {CurrentRevision}.", Severity.Success);
        }
    }

    /// <summary>A decision's or record's content before and after, field by field.</summary>
    private protected static RenderFragment ContentDiff(string oldJson, string newJson, IReadOnlyDictionary<string, string> labels) => builder =>
    {
        builder.OpenComponent<ContentChange>(0);
        builder.AddComponentParameter(1, nameof(ContentChange.OldJson), oldJson);
        builder.AddComponentParameter(2, nameof(ContentChange.NewJson), newJson);
        builder.AddComponentParameter(3, nameof(ContentChange.Labels), labels);
        builder.CloseComponent();
    };
}
