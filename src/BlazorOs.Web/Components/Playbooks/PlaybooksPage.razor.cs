using BlazorOs.Core.Data;
using BlazorOs.Core.Playbooks;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>The gallery: every playbook, searchable; new, open, duplicate and delete (refused while runs refer to it).</summary>
public sealed partial class PlaybooksPage
{
    private List<Row>? _playbooks;
    private string _search = string.Empty;
    private bool _busy;

    [Inject]
    private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private PlaybookService Playbooks { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    internal sealed record Row(Guid Id, string Name, string? Description, DelegationLevel Delegation, int LatestVersion, int Runs, DateTime UpdatedAt);

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _playbooks = await db.Playbooks.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new Row(p.Id, p.Name, p.Description, p.Delegation, p.LatestVersion,
                db.Runs.Count(r => r.PlaybookId == p.Id), p.UpdatedAt))
            .ToListAsync();
    }

    private bool Matches(Row row) => string.IsNullOrWhiteSpace(_search)
        || row.Name.Contains(_search, StringComparison.OrdinalIgnoreCase)
        || (row.Description?.Contains(_search, StringComparison.OrdinalIgnoreCase) ?? false);

    private async Task CreateAsync()
    {
        _busy = true;
        var taken = (_playbooks ?? []).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var name = Enumerable.Range(1, 1000).Select(i => i == 1 ? "Untitled playbook" : $"Untitled playbook {i}").First(n => !taken.Contains(n));
        var created = await Playbooks.CreateBlankAsync(name);
        Navigation.NavigateTo($"/playbooks/{created.Id}");
    }

    private async Task DuplicateAsync(Row row)
    {
        _busy = true;
        try
        {
            await Playbooks.DuplicateAsync(row.Id);
            Snackbar.Add($"Duplicated “{row.Name}”.", Severity.Success);
        }
        catch (KeyNotFoundException)
        {
            Snackbar.Add($"“{row.Name}” no longer exists.", Severity.Warning);
        }
        finally
        {
            await LoadAsync();
            _busy = false;
        }
    }

    private async Task DeleteAsync(Row row)
    {
        if (row.Runs > 0)
        {
            await Dialogs.ShowMessageBoxAsync("This playbook cannot be deleted",
                $"“{row.Name}” has {row.Runs} run(s). Runs keep the version they ran, so a playbook with runs stays; duplicate it to start afresh.",
                yesText: "OK");
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete “{row.Name}”?",
            $"Its {row.LatestVersion} version(s) and its schedule are deleted. This cannot be undone.", yesText: "Delete", cancelText: "Keep it");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await Playbooks.DeleteAsync(row.Id);
            Snackbar.Add(result.Deleted ? $"Deleted “{row.Name}”." : $"“{row.Name}” has {result.Runs} run(s) now and was kept.",
                result.Deleted ? Severity.Success : Severity.Warning);
        }
        catch (KeyNotFoundException)
        {
            Snackbar.Add($"“{row.Name}” was already deleted.", Severity.Info);
        }
        finally
        {
            await LoadAsync();
            _busy = false;
        }
    }
}
