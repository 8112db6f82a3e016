using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EncDec.Kernels;

/// <summary>
/// A constant right-hand GEMM operand B (k, n) = Wᵀ quantized to signed 8-bit integers, one scale per column of B
/// (per output feature of the layer), packed once for <see cref="QuantizedGemm"/>: the int8 counterpart of
/// <see cref="PackedMatrix"/>. Column j holds round(W[j, p] / scale[j]) with scale[j] = max |W[j, :]| / 127, so every
/// weight lies within scale[j] / 2 of its quantized value (symmetric, no zero point; all-zero columns get scale 1).
/// <para>Layout: panels of <see cref="Nr"/> = 16 columns; within a panel, groups of 4 depth steps, each group holding
/// the 4 consecutive weights of column 0, then of column 1, ... (64 bytes): the operand order of the
/// <c>vpdpbusd</c> instruction, which sums 4 byte products into each 32-bit lane. Depth is padded with zeros to a
/// multiple of 4 (<see cref="PaddedK"/>), columns to a multiple of 16.</para>
/// <para>Also kept: the sum of each column's quantized weights, which turns products with activations shifted to
/// unsigned bytes (x + 128, the form <c>vpdpbusd</c> multiplies) back into signed ones.</para>
/// </summary>
public sealed unsafe class QuantizedMatrix
{
    /// <summary>Columns per panel.</summary>
    public const int Nr = 16;

    /// <summary>Depth steps per group (the byte products one 32-bit lane sums).</summary>
    public const int GroupDepth = 4;

    private readonly sbyte[] _storage;
    private readonly sbyte* _data;
    private readonly float[] _scales;
    private readonly int[] _columnSums;

    /// <summary>Quantizes and packs Wᵀ for the weight <paramref name="weight"/> (n, k), row-major.</summary>
    /// <param name="weight">(n, k): row j holds column j of B.</param>
    /// <param name="n">Columns of B (output features).</param>
    /// <param name="k">Rows of B (input features).</param>
    public QuantizedMatrix(ReadOnlySpan<float> weight, int n, int k)
    {
        if (n <= 0 || k <= 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"QuantizedMatrix: n and k must be positive, got n {n}, k {k}");
        if (weight.Length != (long)n * k)
            throw new ArgumentException($"QuantizedMatrix: weight has {weight.Length} values, expected n {n} x k {k}", nameof(weight));
        (N, K) = (n, k);
        PaddedK = (k + GroupDepth - 1) / GroupDepth * GroupDepth;
        PaddedN = (n + Nr - 1) / Nr * Nr;
        const int AlignBytes = 64;   // panels start on cache lines
        _storage = GC.AllocateArray<sbyte>(PaddedN * PaddedK + AlignBytes, pinned: true);   // zeroed: padding is 0
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _data = (sbyte*)((start + AlignBytes - 1) & ~(nint)(AlignBytes - 1));
        _scales = new float[n];
        _columnSums = new int[PaddedN];
        var quantized = new sbyte[k];
        for (int j = 0; j < n; j++)
        {
            _scales[j] = Int8Quantization.Quantize(weight.Slice(j * k, k), quantized);
            int sum = 0;
            sbyte* panel = Panel(j / Nr);
            int lane = j % Nr;
            for (int p = 0; p < k; p++)
            {
                panel[p / GroupDepth * (Nr * GroupDepth) + lane * GroupDepth + p % GroupDepth] = quantized[p];
                sum += quantized[p];
            }
            _columnSums[j] = sum;
        }
    }

    /// <summary>Columns of B.</summary>
    public int N { get; }

    /// <summary>Rows of B (the depth of the product).</summary>
    public int K { get; }

    /// <summary><see cref="K"/> rounded up to a multiple of <see cref="GroupDepth"/>.</summary>
    public int PaddedK { get; }

    /// <summary><see cref="N"/> rounded up to a multiple of <see cref="Nr"/>.</summary>
    public int PaddedN { get; }

    /// <summary>Panels of <see cref="Nr"/> columns.</summary>
    public int Panels => PaddedN / Nr;

    /// <summary>(n) dequantization scale of each column: B(p, j) ≈ this[p, j] · Scales[j].</summary>
    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>(paddedN) sum over depth of each column's quantized weights (0 past column n).</summary>
    public ReadOnlySpan<int> ColumnSums => _columnSums;

    /// <summary>The packed panel <paramref name="panel"/>: (paddedK / 4) groups of 16 columns x 4 depth steps.</summary>
    internal sbyte* Panel(int panel) => _data + (nint)panel * Nr * PaddedK;

    /// <summary>The quantized B(p, j), read back from the panels (for the reference and tests).</summary>
    public sbyte this[int p, int j]
    {
        get
        {
            if ((uint)p >= (uint)K || (uint)j >= (uint)N)
                throw new ArgumentOutOfRangeException(nameof(p), $"QuantizedMatrix: ({p}, {j}) is outside ({K}, {N})");
            return Panel(j / Nr)[p / GroupDepth * (Nr * GroupDepth) + j % Nr * GroupDepth + p % GroupDepth];
        }
    }

    /// <summary>Bytes of packed weights (what one multiplication streams).</summary>
    public long PackedBytes => (long)PaddedN * PaddedK;
}
