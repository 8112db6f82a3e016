using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>
/// Symmetric 8-bit quantization of one row: scale = max |x| / 127, q = round(x / scale) (to even) in [-127, 127],
/// so x ≈ q · scale within scale / 2. An all-zero row gets scale 1 (all q = 0); a row holding an infinity or NaN gets
/// scale NaN, so whatever is computed from it is NaN, as in float32.
/// </summary>
public static class Int8Quantization
{
    /// <summary>The offset that turns a signed quantized value into the unsigned byte <c>vpdpbusd</c> multiplies.</summary>
    public const int UnsignedOffset = 128;

    /// <summary>Quantizes <paramref name="values"/> into <paramref name="quantized"/> (same length); returns the scale.</summary>
    public static float Quantize(ReadOnlySpan<float> values, Span<sbyte> quantized)
    {
        if (quantized.Length < values.Length)
            throw new ArgumentException($"Int8Quantization: {quantized.Length} outputs for {values.Length} values", nameof(quantized));
        float scale = ScaleOf(values, out float inverse);
        for (int i = 0; i < values.Length; i++) quantized[i] = (sbyte)Round(values[i] * inverse);
        return scale;
    }

    /// <summary>Quantizes <paramref name="values"/> and stores q + 128 as bytes in <paramref name="shifted"/> (same
    /// length); returns the scale. 512-bit vectors where available; the same values as the scalar loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe float QuantizeShifted(ReadOnlySpan<float> values, Span<byte> shifted)
    {
        if (shifted.Length < values.Length)
            throw new ArgumentException($"Int8Quantization: {shifted.Length} outputs for {values.Length} values", nameof(shifted));
        float scale = ScaleOf(values, out float inverse);
        int i = 0;
        fixed (float* x = values)
        fixed (byte* q = shifted)
        {
            if (Avx512F.IsSupported && SimdPath.Current == SimdLevel.Avx512)
            {
                var factor = Vector512.Create(inverse);
                var low = Vector512.Create(-127f);
                var high = Vector512.Create(127f);
                var offset = Vector512.Create(UnsignedOffset);
                for (; i + 16 <= values.Length; i += 16)
                {
                    var rounded = Vector512.Round(Vector512.Min(Vector512.Max(Vector512.Load(x + i) * factor, low), high));
                    Avx512F.ConvertToVector128Byte(Vector512.ConvertToInt32(rounded) + offset).Store(q + i);
                }
            }
            for (; i < values.Length; i++) q[i] = (byte)(Round(x[i] * inverse) + UnsignedOffset);
        }
        return scale;
    }

    /// <summary>max |x| / 127 (1 for an all-zero or empty row, NaN for a non-finite one) and the factor that maps x to
    /// the quantized range (0 when the scale is NaN).</summary>
    private static float ScaleOf(ReadOnlySpan<float> values, out float inverse)
    {
        float max = values.IsEmpty ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(values));
        if (!float.IsFinite(max))
        {
            inverse = 0f;
            return float.NaN;
        }
        if (max == 0f)
        {
            inverse = 0f;
            return 1f;
        }
        inverse = 127f / max;
        return max / 127f;
    }

    private static int Round(float scaled) => (int)MathF.Round(Math.Clamp(scaled, -127f, 127f));
}
