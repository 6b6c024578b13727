using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>Record types with their counts, the records of the chosen type, and adding one through a form built from its fields.</summary>
public sealed partial class RecordsPage
{
    private const int MaxColumns = 5;
    private readonly List<BreadcrumbItem> _crumbs = [new("Memory", "/memory"), new("Records", null, disabled: true)];
    private IReadOnlyList<RecordType> _types = [];
    private Dictionary<Guid, int> _counts = [];
    private RecordType? _type;
    private IReadOnlyList<MemoryRecord> _records = [];

    [Inject]
    private RecordService Records { get; set; } = default!;

    [Inject]
    private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The type to show first, e.g. <c>/memory/records?type=deal</c>.</summary>
    [SupplyParameterFromQuery(Name = "type")]
    public string? TypeName { get; set; }

    private List<RecordField> Columns => [.. (_type?.Fields ?? []).Take(MaxColumns)];

    protected override async Task OnParametersSetAsync()
    {
        _types = await Records.TypesAsync();
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            _counts = await db.Records.GroupBy(r => r.TypeId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        }

        await ShowAsync(_types.FirstOrDefault(t => t.Name == TypeName) ?? _types.FirstOrDefault());
    }

    private Task SelectAsync(string? name)
    {
        // The address says which type is shown, so a link or reload comes back to it.
        Navigation.NavigateTo($"/memory/records?type={name}", replace: true);
        return Task.CompletedTask;
    }

    private async Task ShowAsync(RecordType? type)
    {
        _type = type;
        _records = type is null ? [] : await Records.ListAsync(type.Name, take: 1000);
    }

    private async Task AddRecordAsync()
    {
        var parameters = new DialogParameters<RecordDialog> { { d => d.Type, _type! } };
        var dialog = await Dialogs.ShowAsync<RecordDialog>($"Add {_type!.Label.ToLowerInvariant()}", parameters);
        if (await dialog.Result is { Canceled: false })
        {
            await OnParametersSetAsync();
            Snackbar.Add($"{_type.Label} saved.", Severity.Success);
        }
    }
}
