namespace BlazorOs.Core.Memory;

/// <summary>The record types every installation starts with, seeded by the migration with fixed ids.</summary>
public static class BuiltInRecordTypes
{
    public static readonly Guid ContactId = new("0193a000-0000-7000-8000-00000000c001");
    public static readonly Guid CompanyId = new("0193a000-0000-7000-8000-00000000c002");
    public static readonly Guid ProjectId = new("0193a000-0000-7000-8000-00000000c003");
    public static readonly Guid DealId = new("0193a000-0000-7000-8000-00000000c004");

    public static IReadOnlyList<(Guid Id, string Name, string Label, IReadOnlyList<RecordField> Fields)> All { get; } =
    [
        (ContactId, "contact", "Contact",
        [
            new("name", RecordFieldKind.Text, Required: true, Label: "Name"),
            new("email", RecordFieldKind.Email, Label: "Email"),
            new("phone", RecordFieldKind.Text, Label: "Phone"),
            new("company", RecordFieldKind.Reference, Label: "Company"),
            new("role", RecordFieldKind.Text, Label: "Role"),
        ]),
        (CompanyId, "company", "Company",
        [
            new("name", RecordFieldKind.Text, Required: true, Label: "Name"),
            new("website", RecordFieldKind.Url, Label: "Website"),
            new("industry", RecordFieldKind.Text, Label: "Industry"),
        ]),
        (ProjectId, "project", "Project",
        [
            new("name", RecordFieldKind.Text, Required: true, Label: "Name"),
            new("status", RecordFieldKind.Choice, Required: true, ["planned", "active", "done", "cancelled"], "Status"),
            new("client", RecordFieldKind.Reference, Label: "Client"),
            new("due", RecordFieldKind.Date, Label: "Due"),
            new("budget", RecordFieldKind.Money, Label: "Budget"),
        ]),
        (DealId, "deal", "Deal",
        [
            new("name", RecordFieldKind.Text, Required: true, Label: "Name"),
            new("company", RecordFieldKind.Reference, Label: "Company"),
            new("amount", RecordFieldKind.Money, Label: "Amount"),
            new("stage", RecordFieldKind.Choice, Required: true, ["lead", "qualified", "proposal", "won", "lost"], "Stage"),
            new("closeDate", RecordFieldKind.Date, Label: "Close date"),
        ]),
    ];
}
