using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Tensors;

/// <summary>
/// A 128-bit checksum of the values of a list of tensors, built on four interleaved CRC-32C streams (hardware CRC
/// where SSE4.2 exists, about as fast as reading the memory). Inference caches derived from parameters (packed
/// weights) are keyed on it, so any write to a parameter, by an optimizer, a checkpoint load or user code,
/// invalidates them without every writer having to announce itself.
/// <para>Each tensor's values are cut into blocks of <see cref="BlockFloats"/>, a length fixed here and not by the
/// thread count, so the checksum is the same on any number of threads. Each block is hashed on its own, seeded with
/// its tensor and block numbers, into a 128-bit digest (<see cref="ChecksumBlocks"/> spreads the blocks over the
/// kernel threads), and the calling thread folds the digests in order, with each tensor's length after its blocks.</para>
/// <para>With hardware CRC a change to any single value always changes the checksum. A float is one 32-bit half of
/// a 64-bit word of one stream of one block (or that block's lone last float); CRC-32C maps words that differ in one
/// half only to different states (the difference is a nonzero polynomial of degree below 32 times a power of x, which
/// the degree-32 generator cannot divide), and later words keep the states apart (multiplying by x^64 modulo the
/// generator is invertible). So exactly one digest word changes, and it enters the fold as one half of a word.</para>
/// </summary>
internal static class ContentChecksum
{
    /// <summary>Floats per block: 256 KB, long enough that per-block work (seeds, the fold) costs nothing, short
    /// enough that a few large matrices still split evenly over the threads. Even, so that only the last block of a
    /// tensor can end in a lone float.</summary>
    internal const int BlockFloats = 1 << 16;

    /// <summary>Inputs with fewer floats in all are hashed on the calling thread: a megabyte takes tens of
    /// microseconds, about what waking a sleeping worker costs.</summary>
    internal const int MinimumParallelFloats = 1 << 18;

    private const uint SeedA = 0x9E3779B9u, SeedB = 0x85EBCA6Bu, SeedC = 0xC2B2AE35u, SeedD = 0x27D4EB2Fu;

    /// <summary>The checksum of every value of <paramref name="tensors"/> in order (their shapes are not hashed,
    /// only where each tensor ends). Non-contiguous tensors are hashed by their values in row-major order.</summary>
    public static UInt128 Of(IEnumerable<Tensor> tensors)
    {
        var blocks = ChecksumBlocks.Current;
        try
        {
            blocks.Hash(tensors);
            return Fold(blocks);
        }
        finally
        {
            blocks.Clear();
        }
    }

    /// <summary>The 128-bit digest of one block.</summary>
    /// <param name="values">The block's floats (any length; odd only for the last block of a tensor).</param>
    /// <param name="position">The tensor number (high 32 bits) and the block number within the tensor (low 32
    /// bits): the same values at another place give another digest.</param>
    /// <param name="digest">Receives the four digest words.</param>
    internal static void HashBlock(ReadOnlySpan<float> values, ulong position, Span<uint> digest)
    {
        uint a = Mix(SeedA, position), b = Mix(SeedB, position), c = Mix(SeedC, position), d = Mix(SeedD, position);
        var words = MemoryMarshal.Cast<float, ulong>(values);
        int i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = Mix(a, words[i]);
            b = Mix(b, words[i + 1]);
            c = Mix(c, words[i + 2]);
            d = Mix(d, words[i + 3]);
        }
        for (; i < words.Length; i++) a = Mix(a, words[i]);
        a = Mix(a, (ulong)values.Length);
        if ((values.Length & 1) != 0) b = Mix(b, BitConverter.SingleToUInt32Bits(values[^1]));   // not in any word
        digest[0] = a;
        digest[1] = b;
        digest[2] = c;
        digest[3] = d;
    }

    /// <summary>Folds the block digests in order, each tensor's length after its blocks: the length marks where
    /// one tensor ends, so [a, b], [c] and [a], [b, c] differ, and so does a list with an extra empty tensor.</summary>
    private static UInt128 Fold(ChecksumBlocks blocks)
    {
        uint a = SeedA, b = SeedB, c = SeedC, d = SeedD;
        int block = 0;
        for (int tensor = 0; tensor < blocks.TensorCount; tensor++)
        {
            int length = blocks.Length(tensor);
            for (int end = block + ChecksumBlocks.BlocksOf(length); block < end; block++)
            {
                var digest = blocks.Digest(block);
                // Every digest word enters two streams, as one half of a 64-bit word each.
                a = Mix(a, Pair(digest[0], digest[1]));
                b = Mix(b, Pair(digest[2], digest[3]));
                c = Mix(c, Pair(digest[1], digest[2]));
                d = Mix(d, Pair(digest[3], digest[0]));
            }
            a = Mix(a, (ulong)length);
            c = Mix(c, (ulong)length);
        }
        return new UInt128(Pair(a, b), Pair(c, d));
    }

    private static ulong Pair(uint high, uint low) => ((ulong)high << 32) | low;

    private static uint Mix(uint crc, ulong word)
    {
        if (Sse42.X64.IsSupported) return (uint)Sse42.X64.Crc32(crc, word);
        ulong h = (crc ^ word) * 0x9E3779B97F4A7C15UL;   // without SSE4.2: a multiplicative mix, slower
        return (uint)(h ^ (h >> 29));
    }
}
