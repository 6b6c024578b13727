using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>Vectors are stored at unit length, so cosine similarity is a dot product (SIMD through TensorPrimitives).</summary>
internal static class VectorMath
{
    /// <summary>A unit-length copy; null for a vector that cannot be one (zero, NaN or infinity).</summary>
    public static float[]? Normalized(ReadOnlySpan<float> vector)
    {
        if (vector.Length == 0 || !TensorPrimitives.IsFiniteAll(vector))
        {
            return null;
        }

        var norm = TensorPrimitives.Norm(vector);
        if (!(norm > 1e-12f) || !float.IsFinite(norm))
        {
            return null;
        }

        var unit = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, unit);
        return unit;
    }

    /// <summary>Cosine similarity of two unit vectors stored as bytes and as floats; null when the lengths differ.</summary>
    public static float? Similarity(ReadOnlySpan<byte> stored, ReadOnlySpan<float> query)
    {
        var vector = MemoryMarshal.Cast<byte, float>(stored);
        return vector.Length == query.Length ? TensorPrimitives.Dot(vector, query) : null;
    }

    public static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Vectors are stored little-endian.");
        }

        return MemoryMarshal.AsBytes(vector).ToArray();
    }
}
