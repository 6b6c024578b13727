using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Operator;

/// <summary>
/// A key for automation. Only a SHA-256 hash is stored: keys are long random strings, so a fast hash
/// is as safe as a slow one and lets a request find its key by index.
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 100;

    private ApiKey(Guid id, string name, string hint, string hash, DateTime createdAt)
    {
        Id = id;
        Name = name;
        Hint = hint;
        Hash = hash;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }

    /// <summary>The first characters of the key, so the operator can tell keys apart.</summary>
    public string Hint { get; private set; }

    public string Hash { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? LastUsedAt { get; private set; }
    public DateTime? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    internal static ApiKey From(string name, string plaintext, DateTime now) =>
        new(Guid.CreateVersion7(), name, plaintext[..Math.Min(8, plaintext.Length)], HashOf(plaintext), now);

    internal static string HashOf(string plaintext) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));

    internal void Revoke(DateTime now) => RevokedAt ??= now;

    internal void MarkUsed(DateTime now) => LastUsedAt = now;
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Ignore(k => k.IsActive);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength).IsRequired();
        builder.Property(k => k.Hint).HasMaxLength(8).IsRequired();
        builder.Property(k => k.Hash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("UX_ApiKeys_Hash");
    }
}
