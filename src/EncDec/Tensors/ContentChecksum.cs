using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Tensors;

/// <summary>
/// A 128-bit checksum of the values of a list of tensors: four interleaved CRC-32C streams (hardware CRC where
/// SSE4.2 exists, about as fast as reading the memory). Inference caches derived from parameters (packed
/// weights) are keyed on it, so any write to a parameter, by an optimizer, a checkpoint load or user code,
/// invalidates them without every writer having to announce itself.
/// </summary>
internal static class ContentChecksum
{
    /// <summary>The checksum of every value of <paramref name="tensors"/> in order (their shapes are not hashed).</summary>
    public static UInt128 Of(IEnumerable<Tensor> tensors)
    {
        uint a = 0x9E3779B9u, b = 0x85EBCA6Bu, c = 0xC2B2AE35u, d = 0x27D4EB2Fu;
        foreach (var tensor in tensors)
        {
            ReadOnlySpan<float> values = tensor.IsContiguous ? tensor.AsSpan() : tensor.ToArray();
            Hash(MemoryMarshal.Cast<float, ulong>(values), ref a, ref b, ref c, ref d);
            a = Mix(a, (ulong)values.Length);   // the boundary between tensors, and an odd last value
            if ((values.Length & 1) != 0) b = Mix(b, BitConverter.SingleToUInt32Bits(values[^1]));
        }
        return new UInt128(((ulong)a << 32) | b, ((ulong)c << 32) | d);
    }

    private static void Hash(ReadOnlySpan<ulong> words, ref uint a, ref uint b, ref uint c, ref uint d)
    {
        int i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = Mix(a, words[i]);
            b = Mix(b, words[i + 1]);
            c = Mix(c, words[i + 2]);
            d = Mix(d, words[i + 3]);
        }
        for (; i < words.Length; i++) a = Mix(a, words[i]);
    }

    private static uint Mix(uint crc, ulong word)
    {
        if (Sse42.X64.IsSupported) return (uint)Sse42.X64.Crc32(crc, word);
        ulong h = (crc ^ word) * 0x9E3779B97F4A7C15UL;   // without SSE4.2: a multiplicative mix, slower
        return (uint)(h ^ (h >> 29));
    }
}
