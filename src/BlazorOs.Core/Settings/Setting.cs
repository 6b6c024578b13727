using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Settings;

/// <summary>One operator setting, stored as text under a dotted key (e.g. <c>auth.password-hash</c>).</summary>
public sealed class Setting(string key, string value, DateTime updatedAt)
{
    public const int KeyMaxLength = 128;

    public string Key { get; private set; } = key;
    public string Value { get; private set; } = value;
    public DateTime UpdatedAt { get; private set; } = updatedAt;

    public void Change(string value, DateTime now)
    {
        Value = value;
        UpdatedAt = now;
    }
}

internal sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> builder)
    {
        builder.ToTable("Settings");
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(Setting.KeyMaxLength);
        builder.Property(s => s.Value).IsRequired();
    }
}
