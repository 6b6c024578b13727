using System.Numerics;
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

    /// <summary>
    /// Symmetric int8 quantization: each component becomes round(v / scale) in [-127, 127] with scale = max|v| / 127, so
    /// code · code' · scale · scale' approximates the dot product (README: the error is far below the gaps that decide a
    /// top-k, and the few best are re-ranked exactly anyway). Returns the scale; 0 for a zero vector.
    /// </summary>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(vector)); // MaxMagnitude keeps the sign
        if (!(max > 0f))
        {
            codes.Clear();
            return 0f;
        }

        var scale = max / 127f;
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127f, 127f);
        }

        return scale;
    }

    /// <summary>
    /// The integer dot product of two int8 vectors of the same length, with SIMD: bytes are widened to shorts (a product
    /// of two codes in [-127, 127] fits, and so does the sum of two), then to ints to accumulate.
    /// </summary>
    public static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var sum = Vector<int>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<sbyte>.Count; i += Vector<sbyte>.Count)
        {
            Vector.Widen(new Vector<sbyte>(a[i..]), out var aLow, out var aHigh);
            Vector.Widen(new Vector<sbyte>(b[i..]), out var bLow, out var bHigh);
            Vector.Widen((aLow * bLow) + (aHigh * bHigh), out var low, out var high);
            sum += low + high;
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
