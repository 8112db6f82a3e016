using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>
/// Copies a block of a GEMM operand into the panel layout the micro-kernels read. A and B are packed by
/// the same routine: a panel has <c>width</c> "lanes" (rows of A, or columns of B) and <c>kc</c> depth
/// steps; lane r at depth p goes to <c>panel[p * width + r]</c>, and lanes past the edge of the
/// operand are zero. Because the source is read through two arbitrary strides, transposed and strided
/// views pack as cheaply as dense ones: contiguous lanes are copied, contiguous depth is transposed
/// 8 x 8 in registers, anything else is gathered.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs lanes [0, count) x depth [0, kc) into ceil(count / width) consecutive panels.</summary>
    /// <param name="src">Element (lane 0, depth 0) of the block.</param>
    /// <param name="laneStride">Elements between consecutive lanes.</param>
    /// <param name="depthStride">Elements between consecutive depth steps.</param>
    /// <param name="count">Lanes in the block (m or n extent).</param>
    /// <param name="kc">Depth of the block.</param>
    /// <param name="width">Lanes per panel (the micro-kernel's Mr or Nr).</param>
    /// <param name="dst">Destination, (ceil(count / width), kc, width) floats.</param>
    /// <param name="simd">Whether 256-bit vector instructions may be used.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* src, nint laneStride, nint depthStride, int count, int kc, int width, float* dst, bool simd)
    {
        if (laneStride == 1 && count > width)
        {
            PackContiguousLaneRows(src, depthStride, count, kc, width, dst, simd);
            return;
        }
        for (int first = 0; first < count; first += width)
        {
            int lanes = Math.Min(width, count - first);
            float* from = src + first * laneStride;
            float* to = dst + (nint)first * kc;
            if (laneStride == 1) PackContiguousLanes(from, depthStride, lanes, kc, width, to, simd);
            else if (depthStride == 1 && simd && Avx.IsSupported) PackContiguousDepth(from, laneStride, lanes, kc, width, to);
            else PackGeneric(from, laneStride, depthStride, lanes, kc, width, to);
        }
    }

    /// <summary>Reference layout: the definition of a panel, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackGeneric(float* src, nint laneStride, nint depthStride, int lanes, int kc, int width, float* dst)
    {
        for (int p = 0; p < kc; p++)
        {
            float* row = dst + (nint)p * width;
            float* from = src + p * depthStride;
            int r = 0;
            for (; r < lanes; r++) row[r] = from[r * laneStride];
            for (; r < width; r++) row[r] = 0f;
        }
    }

    /// <summary>
    /// Lanes adjacent in memory, several panels: depth step by depth step, the step's whole run of lanes is read once,
    /// in order, and dealt out to the panels (a transposed A: one row of the source per depth step). Panel by panel,
    /// every panel would read a short piece of each of kc rows far apart, and the next panel the piece beside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackContiguousLaneRows(float* src, nint depthStride, int count, int kc, int width, float* dst, bool simd)
    {
        int whole = count / width * width;
        nint panelSize = (nint)width * kc;
        for (int p = 0; p < kc; p++)
        {
            float* from = src + p * depthStride;
            float* to = dst + (nint)p * width;
            int first = 0;
            if (simd && width == 32 && Vector512.IsHardwareAccelerated)   // the 512-bit kernel's B panels
                for (; first < whole; first += 32, to += panelSize)
                {
                    Vector512.Store(Vector512.Load(from + first), to);
                    Vector512.Store(Vector512.Load(from + first + 16), to + 16);
                }
            else if (simd && width == 12 && Vector256.IsHardwareAccelerated)   // A panels of the 12-row kernels
                for (; first < whole; first += 12, to += panelSize)
                {
                    Vector256.Store(Vector256.Load(from + first), to);
                    Vector128.Store(Vector128.Load(from + first + 8), to + 8);
                }
            else
                for (; first < whole; first += width, to += panelSize)
                    new ReadOnlySpan<float>(from + first, width).CopyTo(new Span<float>(to, width));
            if (first < count)
            {
                int r = 0, lanes = count - first;
                for (; r < lanes; r++) to[r] = from[first + r];
                for (; r < width; r++) to[r] = 0f;
            }
        }
    }

    /// <summary>Lanes are adjacent in memory: each depth step is one contiguous copy plus zero padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackContiguousLanes(float* src, nint depthStride, int lanes, int kc, int width, float* dst, bool simd)
    {
        for (int p = 0; p < kc; p++)
        {
            float* from = src + p * depthStride;
            float* row = dst + (nint)p * width;
            int r = 0;
            if (simd && Vector256.IsHardwareAccelerated)
            {
                for (; r + 8 <= lanes; r += 8) Vector256.Store(Vector256.Load(from + r), row + r);
                for (; r + 4 <= lanes; r += 4) Vector128.Store(Vector128.Load(from + r), row + r);
            }
            for (; r < lanes; r++) row[r] = from[r];
            for (; r < width; r++) row[r] = 0f;
        }
    }

    /// <summary>
    /// Each lane is contiguous along depth (A row-major, or B transposed): load 8 lanes x 8 depth steps,
    /// transpose in registers, store 8 depth rows. Missing lanes read as zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackContiguousDepth(float* src, nint laneStride, int lanes, int kc, int width, float* dst)
    {
        int blocked = kc & ~7;
        for (int group = 0; group < width; group += 8)
        {
            int groupLanes = Math.Clamp(lanes - group, 0, 8);
            int stored = Math.Min(8, width - group);
            float* from = src + group * laneStride;
            if (stored == 4)
            {
                // The last four lanes of a 12-wide panel (A for the 12-row kernels): half the shuffles of an 8 x 8.
                for (int p = 0; p < blocked; p += 8)
                    Transpose4x8(from + p, laneStride, groupLanes, dst + (nint)p * width + group, width);
                continue;
            }
            for (int p = 0; p < blocked; p += 8)
                Transpose8x8(from + p, laneStride, groupLanes, dst + (nint)p * width + group, width, stored);
        }
        for (int p = blocked; p < kc; p++)
        {
            float* row = dst + (nint)p * width;
            int r = 0;
            for (; r < lanes; r++) row[r] = src[r * laneStride + p];
            for (; r < width; r++) row[r] = 0f;
        }
    }

    /// <summary>
    /// Reads rows [0, lanes) (zero beyond) of an 8 x 8 block whose rows are <paramref name="stride"/>
    /// apart, and writes its transpose: column p (8 values) to <c>dst + p * dstStride</c>, first
    /// <paramref name="stored"/> values only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint stride, int lanes, float* dst, int dstStride, int stored)
    {
        Vector256<float> r0 = Row(src, stride, 0, lanes), r1 = Row(src, stride, 1, lanes);
        Vector256<float> r2 = Row(src, stride, 2, lanes), r3 = Row(src, stride, 3, lanes);
        Vector256<float> r4 = Row(src, stride, 4, lanes), r5 = Row(src, stride, 5, lanes);
        Vector256<float> r6 = Row(src, stride, 6, lanes), r7 = Row(src, stride, 7, lanes);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Put(Avx.Permute2x128(s0, s4, 0x20), dst, stored);
        Put(Avx.Permute2x128(s1, s5, 0x20), dst + dstStride, stored);
        Put(Avx.Permute2x128(s2, s6, 0x20), dst + 2 * dstStride, stored);
        Put(Avx.Permute2x128(s3, s7, 0x20), dst + 3 * dstStride, stored);
        Put(Avx.Permute2x128(s0, s4, 0x31), dst + 4 * dstStride, stored);
        Put(Avx.Permute2x128(s1, s5, 0x31), dst + 5 * dstStride, stored);
        Put(Avx.Permute2x128(s2, s6, 0x31), dst + 6 * dstStride, stored);
        Put(Avx.Permute2x128(s3, s7, 0x31), dst + 7 * dstStride, stored);
    }

    /// <summary>
    /// Reads rows [0, lanes) (zero beyond, lanes ≤ 4) of a 4 x 8 block whose rows are <paramref name="stride"/> apart,
    /// and writes its transpose: column p (4 values) to <c>dst + p * dstStride</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x8(float* src, nint stride, int lanes, float* dst, int dstStride)
    {
        Vector256<float> r0 = Row(src, stride, 0, lanes), r1 = Row(src, stride, 1, lanes);
        Vector256<float> r2 = Row(src, stride, 2, lanes), r3 = Row(src, stride, 3, lanes);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        // Each 128-bit half of s holds one depth step's 4 lanes: the low half steps 0-3, the high half steps 4-7.
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        s0.GetLower().Store(dst);
        s1.GetLower().Store(dst + dstStride);
        s2.GetLower().Store(dst + 2 * dstStride);
        s3.GetLower().Store(dst + 3 * dstStride);
        s0.GetUpper().Store(dst + 4 * dstStride);
        s1.GetUpper().Store(dst + 5 * dstStride);
        s2.GetUpper().Store(dst + 6 * dstStride);
        s3.GetUpper().Store(dst + 7 * dstStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(float* src, nint stride, int row, int lanes) =>
        row < lanes ? Vector256.Load(src + row * stride) : Vector256<float>.Zero;

    /// <summary>Stores the first <paramref name="count"/> (1..8) elements of <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector256<float> v, float* dst, int count)
    {
        if (count == 8)
        {
            v.Store(dst);
            return;
        }
        int i = 0;
        if (count >= 4)
        {
            v.GetLower().Store(dst);
            i = 4;
        }
        for (; i < count; i++) dst[i] = v.GetElement(i);
    }
}
