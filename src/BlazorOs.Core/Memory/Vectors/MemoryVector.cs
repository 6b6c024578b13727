using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>
/// The embedding of one memory item by one model: a unit-length float32 vector (little-endian bytes), the hash of the text
/// it was made from, and the item's <see cref="SourceUpdatedAt"/>, <see cref="Scope"/> and <see cref="Subject"/> at that
/// time — copies, so the in-memory index (and the store scan without it) picks candidates without reading the items;
/// the few best are then confirmed against the items themselves. A vector whose time differs from the item's is stale: search drops it and the indexer
/// embeds the item again (or, when only metadata changed and the text hash is the same, just copies the new time, scope
/// and subject).
/// </summary>
public sealed class MemoryVector
{
    public const int ModelMaxLength = 200;

    private MemoryVector(string itemType, Guid itemId, string model, string contentHash, byte[] vector, int dimensions, DateTime embeddedAt)
    {
        ItemType = itemType;
        ItemId = itemId;
        Model = model;
        ContentHash = contentHash;
        Vector = vector;
        Dimensions = dimensions;
        EmbeddedAt = embeddedAt;
        Scope = string.Empty;
    }

    public string ItemType { get; private set; }
    public Guid ItemId { get; private set; }
    public string Model { get; private set; }

    /// <summary>SHA-256 (hex) of the text that was embedded.</summary>
    public string ContentHash { get; private set; }

    /// <summary>The item's UpdatedAt (summaries: CreatedAt) when the vector was made.</summary>
    public DateTime SourceUpdatedAt { get; private set; }

    /// <summary>The item's scope at <see cref="SourceUpdatedAt"/>.</summary>
    public string Scope { get; private set; }

    /// <summary>A fact's subject or a record's title at <see cref="SourceUpdatedAt"/>; null for types without one.</summary>
    public string? Subject { get; private set; }

    public int Dimensions { get; private set; }
    public byte[] Vector { get; private set; }
    public DateTime EmbeddedAt { get; private set; }

    public static MemoryVector Create(MemoryItemVersion item, string model, string contentHash, ReadOnlySpan<float> unitVector, DateTime now)
    {
        var vector = new MemoryVector(item.Type, item.Id, model, contentHash, VectorMath.ToBytes(unitVector), unitVector.Length, now);
        vector.Confirm(item);
        return vector;
    }

    /// <summary>The item changed but its text did not: the vector still holds; its copies follow the item.</summary>
    public void Confirm(MemoryItemVersion item)
    {
        SourceUpdatedAt = item.At;
        Scope = item.Scope;
        Subject = item.Subject;
    }

    public void Replace(MemoryItemVersion item, string model, string contentHash, ReadOnlySpan<float> unitVector, DateTime now)
    {
        Confirm(item);
        Model = model;
        ContentHash = contentHash;
        Vector = VectorMath.ToBytes(unitVector);
        Dimensions = unitVector.Length;
        EmbeddedAt = now;
    }
}

/// <summary>What a vector copies from the version of the item it was made from.</summary>
public sealed record MemoryItemVersion(string Type, Guid Id, DateTime At, string Scope, string? Subject);

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
        builder.Property(v => v.Scope).HasMaxLength(MemoryScope.MaxLength).IsRequired();
        builder.Property(v => v.Subject).HasMaxLength(MemoryRecord.TitleMaxLength);
        builder.Property(v => v.Vector).IsRequired();
        builder.HasIndex(v => v.ItemId).HasDatabaseName("IX_MemoryVectors_ItemId");
        // The store scan (search without the in-memory index) walks one type's vectors of one model newest first, up to its cap.
        builder.HasIndex(v => new { v.ItemType, v.Model, v.SourceUpdatedAt }).HasDatabaseName("IX_MemoryVectors_Type_Model_At");
        // And with a scope filter, that scope's vectors newest first, instead of every vector checked for its scope.
        builder.HasIndex(v => new { v.ItemType, v.Model, v.Scope, v.SourceUpdatedAt }).HasDatabaseName("IX_MemoryVectors_Type_Model_Scope_At");
    }
}
