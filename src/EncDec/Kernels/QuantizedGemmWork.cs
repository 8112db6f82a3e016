using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>
/// One <see cref="QuantizedGemm.Multiply"/> call: quantizes the rows of A into a thread-static buffer (rows split
/// across threads when there are many), then runs panels of B across threads. Within a panel, blocks of
/// <see cref="Mr"/> rows go through the micro-kernel while the panel (16 columns x paddedK bytes) stays in L1.
/// Reused per calling thread so that a steady decoding step allocates nothing.
/// </summary>
internal sealed unsafe class QuantizedGemmWork
{
    /// <summary>Rows per micro-kernel call: 6 rows x 2 vectors of accumulators, 2 of B and one broadcast of A fill
    /// the 16 registers that the VEX-encoded <c>vpdpbusd</c> can name.</summary>
    public const int Mr = 6;

    /// <summary>Rows of the short block (4 rows x 2 vectors, 8 accumulators).</summary>
    public const int ShortMr = 4;

    [ThreadStatic] private static QuantizedGemmWork? t_current;

    private readonly QuantizeRows _quantize;
    private readonly MultiplyPanels _multiply;
    private byte[] _shifted = [];
    private float[] _rowScales = [];
    private int _m, _lda, _ldc;
    private float* _a, _c, _bias;
    private QuantizedMatrix? _b;
    private bool _accumulate, _relu, _vnni;

    private QuantizedGemmWork()
    {
        _quantize = new QuantizeRows(this);
        _multiply = new MultiplyPanels(this);
    }

    /// <summary>This thread's instance.</summary>
    public static QuantizedGemmWork Current => t_current ??= new QuantizedGemmWork();

    /// <summary>Whether this thread's SIMD path and the CPU allow the AVX-VNNI kernel.</summary>
    public static bool VnniAvailable => AvxVnni.IsSupported && SimdPath.Current >= SimdLevel.Avx2;

    public void Run(int m, ReadOnlySpan<float> a, int lda, QuantizedMatrix b, Span<float> c, int ldc, float beta,
        ReadOnlySpan<float> bias, bool relu)
    {
        int paddedK = b.PaddedK;
        if (_shifted.Length < (long)m * paddedK) _shifted = GC.AllocateUninitializedArray<byte>(m * paddedK, pinned: true);
        if (_rowScales.Length < m) _rowScales = new float[m];
        fixed (float* pa = a, pc = c, pBias = bias)
        {
            _a = pa;
            _c = pc;
            _bias = bias.IsEmpty ? null : pBias;
            (_m, _lda, _b, _ldc) = (m, lda, b, ldc);
            (_accumulate, _relu, _vnni) = (beta != 0f, relu, VnniAvailable);
            try
            {
                double flops = 2.0 * m * b.N * b.K;
                int threads = flops < Gemm.ParallelFlops ? 1 : Parallelism.ThreadCount;
                ParallelRunner.For(m, _quantize, (long)m * b.K < 1 << 16 ? 1 : threads);
                ParallelRunner.For(b.Panels, _multiply, threads);
            }
            finally
            {
                _a = null;
                _c = null;
                _bias = null;
                _b = null;
            }
        }
    }

    /// <summary>Rows [begin, end) of A → q + 128 bytes (padding depth holds 128, i.e. 0) and their scales.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // straight to optimised code: tier 0 is slow here
    private void Quantize(int begin, int end)
    {
        int k = _b!.K, paddedK = _b.PaddedK;
        var shifted = _shifted.AsSpan();
        for (int i = begin; i < end; i++)
        {
            var row = shifted.Slice(i * paddedK, paddedK);
            _rowScales[i] = Int8Quantization.QuantizeShifted(new ReadOnlySpan<float>(_a + (long)i * _lda, k), row);
            row[k..].Fill(Int8Quantization.UnsignedOffset);
        }
    }

    /// <summary>Panels [begin, end) of B against every row block of A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Multiply(int begin, int end)
    {
        var b = _b!;
        int* sums = stackalloc int[Mr * QuantizedMatrix.Nr];
        fixed (byte* shifted = _shifted)
        {
            for (int panel = begin; panel < end; panel++)
            {
                sbyte* weights = b.Panel(panel);
                int column = panel * QuantizedMatrix.Nr, columns = Math.Min(QuantizedMatrix.Nr, b.N - column);
                for (int row = 0, rows; row < _m; row += rows)
                {
                    rows = BlockRows(_m - row);
                    byte* a = shifted + (long)row * b.PaddedK;
                    int groups = b.PaddedK / QuantizedMatrix.GroupDepth;
                    if (!_vnni) Portable(a, b.PaddedK, rows, weights, groups, sums);
                    else if (rows <= ShortMr) Vnni<FourRows>(a, b.PaddedK, rows, weights, groups, sums);
                    else Vnni<SixRows>(a, b.PaddedK, rows, weights, groups, sums);
                    Finish(sums, row, rows, column, columns);
                }
            }
        }
    }

    /// <summary>Rows of the next block when <paramref name="left"/> rows remain: blocks of <see cref="Mr"/>, but the
    /// last 1..4 rows (and 7 or 8, as 4 + 3 or 4 + 4) go through the short block, so 32 rows cost 6·4 + 4·2 rows of work
    /// instead of 6·6.</summary>
    public static int BlockRows(int left) => left is > ShortMr and not (7 or 8) ? Math.Min(Mr, left) : Math.Min(ShortMr, left);

    /// <summary>Scales the (rows, columns) integer sums into C: with 256-bit vectors for whole panels, otherwise with
    /// <see cref="QuantizedGemm.Finish"/> per output (the same float operations in the same order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Finish(int* sums, int row, int rows, int column, int columns)
    {
        var b = _b!;
        if (columns == QuantizedMatrix.Nr && Vector256.IsHardwareAccelerated && SimdPath.Current >= SimdLevel.Avx2)
        {
            // Fields copied to locals: the JIT reloads a field after every store through a pointer.
            float* c = _c + (long)row * _ldc + column;
            float* biasAt = _bias is null ? null : _bias + column;
            long ldc = _ldc;
            bool accumulate = _accumulate, relu = _relu;
            fixed (int* columnSums = b.ColumnSums)
            fixed (float* scales = b.Scales, rowScales = _rowScales)
            {
                for (int half = 0; half < QuantizedMatrix.Nr; half += 8)
                {
                    var correction = Vector256.Load(columnSums + column + half) * Int8Quantization.UnsignedOffset;
                    var columnScale = Vector256.Load(scales + column + half);
                    var bias = biasAt is null ? Vector256<float>.Zero : Vector256.Load(biasAt + half);
                    for (int r = 0; r < rows; r++)
                    {
                        float* output = c + r * ldc + half;
                        var acc = Vector256.Load(sums + r * QuantizedMatrix.Nr + half) - correction;
                        var value = Vector256.ConvertToSingle(acc) * (Vector256.Create(rowScales[row + r]) * columnScale);
                        if (biasAt is not null) value += bias;
                        if (accumulate) value += Vector256.Load(output);
                        if (relu) value = Vector256.Max(value, Vector256<float>.Zero);
                        value.Store(output);
                    }
                }
            }
            return;
        }
        var columnSumsSpan = b.ColumnSums;
        var scalesSpan = b.Scales;
        for (int r = 0; r < rows; r++)
        {
            float rowScale = _rowScales[row + r];
            float* output = _c + (long)(row + r) * _ldc + column;
            for (int j = 0; j < columns; j++)
            {
                output[j] = QuantizedGemm.Finish(sums[r * QuantizedMatrix.Nr + j], columnSumsSpan[column + j], rowScale,
                    scalesSpan[column + j], _bias is null ? 0f : _bias[column + j], _accumulate ? output[j] : 0f,
                    _bias is not null, _accumulate, _relu);
            }
        }
    }

    /// <summary>
    /// sums (TRows, 16) = A rows (rows, 4·groups bytes, q + 128) · panel, with <c>vpdpbusd</c>: per group of 4 depth
    /// steps, each row's 4 bytes are broadcast to all eight lanes and multiplied with 4 bytes of each of 8 columns.
    /// Rows past <paramref name="rows"/> repeat the last row (computed, never read). <typeparamref name="TRows"/> is
    /// 6 (<see cref="Mr"/>) or 4 (<see cref="ShortMr"/>); the JIT compiles each as its own method with the rows it
    /// lacks removed, so the accumulators stay named locals in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vnni<TRows>(byte* a, int lda, int rows, sbyte* panel, int groups, int* sums)
        where TRows : struct, IBlockRows
    {
        bool six = TRows.Count == Mr;
        byte* a0 = a, a1 = a + lda * Math.Min(1, rows - 1), a2 = a + lda * Math.Min(2, rows - 1);
        byte* a3 = a + lda * Math.Min(3, rows - 1);
        byte* a4 = six ? a + lda * Math.Min(4, rows - 1) : a3, a5 = six ? a + lda * Math.Min(5, rows - 1) : a3;
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int g = 0; g < groups; g++, panel += 64)
        {
            var b0 = Vector256.Load(panel);
            var b1 = Vector256.Load(panel + 32);
            int at = g * 4;
            var x = Vector256.Create(*(int*)(a0 + at)).AsByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, x, b0); c01 = AvxVnni.MultiplyWideningAndAdd(c01, x, b1);
            x = Vector256.Create(*(int*)(a1 + at)).AsByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, x, b0); c11 = AvxVnni.MultiplyWideningAndAdd(c11, x, b1);
            x = Vector256.Create(*(int*)(a2 + at)).AsByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, x, b0); c21 = AvxVnni.MultiplyWideningAndAdd(c21, x, b1);
            x = Vector256.Create(*(int*)(a3 + at)).AsByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, x, b0); c31 = AvxVnni.MultiplyWideningAndAdd(c31, x, b1);
            if (six)
            {
                x = Vector256.Create(*(int*)(a4 + at)).AsByte();
                c40 = AvxVnni.MultiplyWideningAndAdd(c40, x, b0); c41 = AvxVnni.MultiplyWideningAndAdd(c41, x, b1);
                x = Vector256.Create(*(int*)(a5 + at)).AsByte();
                c50 = AvxVnni.MultiplyWideningAndAdd(c50, x, b0); c51 = AvxVnni.MultiplyWideningAndAdd(c51, x, b1);
            }
        }
        c00.Store(sums); c01.Store(sums + 8); c10.Store(sums + 16); c11.Store(sums + 24);
        c20.Store(sums + 32); c21.Store(sums + 40); c30.Store(sums + 48); c31.Store(sums + 56);
        if (six)
        {
            c40.Store(sums + 64); c41.Store(sums + 72); c50.Store(sums + 80); c51.Store(sums + 88);
        }
    }

    /// <summary>Rows of a <see cref="Vnni{TRows}"/> block, as a type so that each count compiles to its own kernel.</summary>
    private interface IBlockRows
    {
        static abstract int Count { get; }
    }

    private readonly struct SixRows : IBlockRows
    {
        public static int Count => Mr;
    }

    private readonly struct FourRows : IBlockRows
    {
        public static int Count => ShortMr;
    }

    /// <summary>The same sums as <see cref="Vnni{TRows}"/> with scalar integer arithmetic, for CPUs without AVX-VNNI.</summary>
    private static void Portable(byte* a, int lda, int rows, sbyte* panel, int groups, int* sums)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < QuantizedMatrix.Nr; j++)
            {
                int acc = 0;
                for (int g = 0; g < groups; g++)
                    for (int i = 0; i < QuantizedMatrix.GroupDepth; i++)
                        acc += a[r * lda + g * 4 + i] * panel[g * 64 + j * 4 + i];
                sums[r * QuantizedMatrix.Nr + j] = acc;
            }
    }

    private sealed class QuantizeRows(QuantizedGemmWork owner) : IParallelWork
    {
        public void Execute(int begin, int end) => owner.Quantize(begin, end);
    }

    private sealed class MultiplyPanels(QuantizedGemmWork owner) : IParallelWork
    {
        public void Execute(int begin, int end) => owner.Multiply(begin, end);
    }
}
