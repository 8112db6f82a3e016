using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>How the keys and values of an attention cache are stored: float32, or bfloat16 (<see cref="BFloat16"/>),
/// which halves what a decoding step reads; <see cref="AttentionKernel"/> widens on load and computes in float32.</summary>
internal enum KeyValueFormat
{
    /// <summary>4 bytes per value, exact.</summary>
    Float32,

    /// <summary>2 bytes per value, rounded to nearest even (relative error at most 2⁻⁸).</summary>
    BFloat16,
}

/// <summary>Byte sizes and stores of a <see cref="KeyValueFormat"/>.</summary>
internal static unsafe class KeyValueFormats
{
    /// <summary>Bytes per stored value.</summary>
    public static int Bytes(this KeyValueFormat format) => format == KeyValueFormat.BFloat16 ? 2 : 4;

    /// <summary>Stores <paramref name="values"/> as elements [<paramref name="index"/>, index + length) of
    /// <paramref name="destination"/>.</summary>
    public static void Store(this KeyValueFormat format, ReadOnlySpan<float> values, byte* destination, long index)
    {
        if (format == KeyValueFormat.BFloat16) BFloat16.Narrow(values, new Span<ushort>((ushort*)destination + index, values.Length));
        else values.CopyTo(new Span<float>((float*)destination + index, values.Length));
    }

    /// <summary>Stores <paramref name="values"/> as elements index, index + stride, index + 2·stride, … of
    /// <paramref name="destination"/> (a column of a transposed cache); bfloat16 rounds with vectors first.</summary>
    public static void StoreStrided(this KeyValueFormat format, ReadOnlySpan<float> values, byte* destination, long index, long stride)
    {
        if (format == KeyValueFormat.Float32)
        {
            for (int i = 0; i < values.Length; i++) ((float*)destination)[index + i * stride] = values[i];
            return;
        }
        Span<ushort> narrowed = values.Length <= 1024 ? stackalloc ushort[values.Length] : new ushort[values.Length];
        BFloat16.Narrow(values, narrowed);
        for (int i = 0; i < narrowed.Length; i++) ((ushort*)destination)[index + i * stride] = narrowed[i];
    }

    /// <summary>Element <paramref name="index"/> of <paramref name="source"/> as a float.</summary>
    public static float Load(this KeyValueFormat format, void* source, long index) =>
        format == KeyValueFormat.BFloat16 ? BFloat16.ToSingle(((ushort*)source)[index]) : ((float*)source)[index];
}

/// <summary>Loads of stored keys and values widened to float32, for kernels specialised per format at compile time
/// (a struct type argument: the JIT emits one body per format, with no branch per load).</summary>
internal unsafe interface IKeyValueElements
{
    /// <summary>Bytes per stored value.</summary>
    static abstract int Bytes { get; }

    /// <summary>16 values from element <paramref name="index"/> of <paramref name="source"/> (AVX-512 paths only).</summary>
    static abstract Vector512<float> Load512(byte* source, long index);

    /// <summary>8 values from element <paramref name="index"/> (AVX2 paths only).</summary>
    static abstract Vector256<float> Load256(byte* source, long index);

    /// <summary>One value.</summary>
    static abstract float Load(byte* source, long index);
}

/// <summary>float32 elements.</summary>
internal readonly unsafe struct Float32Elements : IKeyValueElements
{
    public static int Bytes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(byte* source, long index) => Vector512.Load((float*)source + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(byte* source, long index) => Vector256.Load((float*)source + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(byte* source, long index) => ((float*)source)[index];
}

/// <summary>bfloat16 elements, widened on load.</summary>
internal readonly unsafe struct BFloat16Elements : IKeyValueElements
{
    public static int Bytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(byte* source, long index) => BFloat16.Load512((ushort*)source + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(byte* source, long index) => BFloat16.Load256((ushort*)source + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(byte* source, long index) => BFloat16.ToSingle(((ushort*)source)[index]);
}
