using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>
/// bfloat16: the upper 16 bits of a float32 (sign, the same 8-bit exponent, 7 stored mantissa bits), so widening is
/// a 16-bit shift and the range is float32's; relative rounding error at most 2⁻⁸. Attention caches of int8
/// inference are stored in it, halving the bytes a decoding step streams through memory. Written here because .NET 10
/// has no bfloat16 type or conversions (System.Numerics.Tensors 10.0 ships none).
/// </summary>
internal static unsafe class BFloat16
{
    /// <summary>The nearest bfloat16 of <paramref name="value"/>, ties to even; NaN stays a (quiet) NaN, infinities stay.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);   // keep the sign, force a quiet mantissa bit
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>The float32 of a bfloat16 (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>destination[i] = <see cref="FromSingle"/>(source[i]); 512-bit vectors where <see cref="SimdPath.Current"/>
    /// allows, the same values as the scalar loop.</summary>
    public static void Narrow(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException($"BFloat16.Narrow: destination holds {destination.Length} values, source {source.Length}");
        int i = 0;
        fixed (float* from = source)
        fixed (ushort* to = destination)
        {
            if (SimdPath.Current == SimdLevel.Avx512 && Avx512F.IsSupported)
                for (; i + 16 <= source.Length; i += 16) Avx512F.ConvertToVector256UInt16(Round(Vector512.Load(from + i))).Store(to + i);
            for (; i < source.Length; i++) to[i] = FromSingle(from[i]);
        }
    }

    /// <summary>16 floats rounded to bfloat16, each in the low half of its 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Round(Vector512<float> values)
    {
        var bits = values.AsUInt32();
        var rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One)) >> 16;
        var quietNaN = (bits >> 16) | Vector512.Create(0x0040u);
        return Vector512.ConditionalSelect(Vector512.Equals(values, values).AsUInt32(), rounded, quietNaN);
    }

    /// <summary>16 bfloat16 values at <paramref name="source"/> widened to float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(ushort* source) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Vector256.Load(source)), 16).AsSingle();

    /// <summary>8 bfloat16 values at <paramref name="source"/> widened to float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(ushort* source) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(Vector128.Load(source)), 16).AsSingle();
}
