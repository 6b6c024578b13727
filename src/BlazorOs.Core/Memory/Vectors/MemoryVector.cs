using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>
/// The embedding of one memory item by one model: a unit-length float32 vector (little-endian bytes), the hash of the text
/// it was made from, and the item's <see cref="SourceUpdatedAt"/> at that time. A vector whose time differs from the
/// item's is stale: search ignores it and the indexer embeds the item again (or, when only metadata changed and the text
/// hash is the same, just moves the time on).
/// </summary>
public sealed class MemoryVector
{
    public const int ModelMaxLength = 200;

    private MemoryVector(string itemType, Guid itemId, string model, string contentHash, DateTime sourceUpdatedAt, byte[] vector,
        int dimensions, DateTime embeddedAt)
    {
        ItemType = itemType;
        ItemId = itemId;
        Model = model;
        ContentHash = contentHash;
        SourceUpdatedAt = sourceUpdatedAt;
        Vector = vector;
        Dimensions = dimensions;
        EmbeddedAt = embeddedAt;
    }

    public string ItemType { get; private set; }
    public Guid ItemId { get; private set; }
    public string Model { get; private set; }

    /// <summary>SHA-256 (hex) of the text that was embedded.</summary>
    public string ContentHash { get; private set; }

    /// <summary>The item's UpdatedAt (summaries: CreatedAt) when the vector was made.</summary>
    public DateTime SourceUpdatedAt { get; private set; }

    public int Dimensions { get; private set; }
    public byte[] Vector { get; private set; }
    public DateTime EmbeddedAt { get; private set; }

    public static MemoryVector Create(string itemType, Guid itemId, string model, string contentHash, DateTime sourceUpdatedAt,
        ReadOnlySpan<float> unitVector, DateTime now) =>
        new(itemType, itemId, model, contentHash, sourceUpdatedAt, VectorMath.ToBytes(unitVector), unitVector.Length, now);

    /// <summary>The item changed but its text did not: the vector still holds.</summary>
    public void Confirm(DateTime sourceUpdatedAt) => SourceUpdatedAt = sourceUpdatedAt;

    public void Replace(string model, string contentHash, DateTime sourceUpdatedAt, ReadOnlySpan<float> unitVector, DateTime now)
    {
        Model = model;
        ContentHash = contentHash;
        SourceUpdatedAt = sourceUpdatedAt;
        Vector = VectorMath.ToBytes(unitVector);
        Dimensions = unitVector.Length;
        EmbeddedAt = now;
    }
}

internal sealed class MemoryVectorConfiguration : IEntityTypeConfiguration<MemoryVector>
{
    public void Configure(EntityTypeBuilder<MemoryVector> builder)
    {
        builder.ToTable("MemoryVectors");
        // One vector per item: a change of model replaces it (the indexer treats another model's vector as pending).
        builder.HasKey(v => new { v.ItemType, v.ItemId });
        builder.Property(v => v.ItemType).HasMaxLength(20).IsRequired();
        builder.Property(v => v.Model).HasMaxLength(MemoryVector.ModelMaxLength).IsRequired();
        builder.Property(v => v.ContentHash).HasMaxLength(64).IsRequired();
        builder.Property(v => v.Vector).IsRequired();
        builder.HasIndex(v => v.ItemId).HasDatabaseName("IX_MemoryVectors_ItemId");
    }
}
