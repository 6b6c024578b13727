using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>Retention rules with their editor and preview, the retention log, and the scope policy.</summary>
public sealed partial class RetentionPage
{
    private readonly List<BreadcrumbItem> _crumbs = [new("Memory", "/memory"), new("Retention and scopes", null, disabled: true)];
    private IReadOnlyList<RetentionRule> _rules = [];
    private IReadOnlyList<RetentionLogEntry> _log = [];
    private RetentionRuleEditor? _editor;

    [Inject]
    private MemoryRetention Retention { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _rules = await Retention.RulesAsync();
        _log = await Retention.LogAsync(20);
    }

    private void Edit(RetentionRule rule) => _editor?.Load(rule);

    private async Task DeleteAsync(RetentionRule rule)
    {
        if (await Dialogs.ShowMessageBoxAsync("Delete this rule?", $"{rule.ItemType} items in {rule.Scope ?? "every scope"} are then kept unless another rule applies.",
                yesText: "Delete", cancelText: "Keep") == true)
        {
            await Retention.DeleteRuleAsync(rule.Id);
            await LoadAsync();
            Snackbar.Add("Rule deleted.", Severity.Success);
        }
    }
}
