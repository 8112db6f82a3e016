using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EncDec.Kernels;

/// <summary>
/// A constant right-hand GEMM operand B (k, n), packed once into the panel layout of the micro-kernel
/// that the packing thread's <see cref="SimdPath"/> selects, so that multiplying by it never packs B
/// again. Inference multiplies small row blocks (a decoder step: one row per sentence) by the same weights
/// thousands of times; there packing B each call costs as much as the multiply.
/// <para>Layout: depth blocks of <c>kc</c> rows (the driver's balanced KC), each holding ceil(n / NR)
/// consecutive panels of (kc, NR) floats, zero-padded past column n. Built from a weight stored (n, k) as
/// <see cref="Nn.Linear"/> stores it, so B = Wᵀ.</para>
/// <para>A thread whose <see cref="SimdPath"/> selects a different kernel (tests force paths) unpacks B and
/// runs <see cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>:
/// slower, same result.</para>
/// </summary>
public sealed unsafe class PackedMatrix
{
    private readonly float[] _storage;
    private readonly float* _data;

    /// <summary>Packs Wᵀ for the weight <paramref name="weight"/> (n, k), row-major.</summary>
    /// <param name="weight">(n, k): row j holds column j of B.</param>
    /// <param name="n">Columns of B (output features).</param>
    /// <param name="k">Rows of B (input features).</param>
    public PackedMatrix(ReadOnlySpan<float> weight, int n, int k)
    {
        if (n <= 0 || k <= 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"PackedMatrix: n and k must be positive, got n {n}, k {k}");
        if (weight.Length != (long)n * k)
            throw new ArgumentException($"PackedMatrix: weight has {weight.Length} values, expected n {n} x k {k}", nameof(weight));
        N = n;
        K = k;
        Kernel = GemmKernels.Select(SimdPath.Current);
        Nr = GemmKernels.Shape(Kernel).Nr;
        Kc = GemmBlocking.Balanced(k, GemmBlocking.For(Kernel).Kc, 1);
        PaddedN = (n + Nr - 1) / Nr * Nr;
        const int AlignFloats = 16;   // 64 bytes: panels start on cache lines
        _storage = GC.AllocateUninitializedArray<float>(PaddedN * k + AlignFloats, pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _data = (float*)((start + 63) & ~(nint)63);
        fixed (float* w = weight)
        {
            bool simd = Kernel != GemmKernelKind.Scalar;
            // B(p, j) = W[j, p]: lanes (columns of B) are k apart, depth is contiguous.
            for (int pc = 0; pc < k; pc += Kc)
                GemmPacking.Pack(w + pc, k, 1, n, Math.Min(Kc, k - pc), Nr, _data + (nint)pc * PaddedN, simd);
        }
    }

    /// <summary>Columns of B.</summary>
    public int N { get; }

    /// <summary>Rows of B (the depth of the product).</summary>
    public int K { get; }

    internal GemmKernelKind Kernel { get; }

    internal int Nr { get; }

    internal int Kc { get; }

    internal int PaddedN { get; }

    /// <summary>Panel memory of the depth block starting at row <paramref name="pc"/>, from column <paramref name="jc"/>
    /// (a multiple of NR).</summary>
    internal float* Block(int pc, int jc) => _data + (nint)pc * PaddedN + (nint)jc * Math.Min(Kc, K - pc);

    /// <summary>B(p, j), read back from the panels (the reference and the fallback path).</summary>
    public float this[int p, int j]
    {
        get
        {
            if ((uint)p >= (uint)K || (uint)j >= (uint)N)
                throw new ArgumentOutOfRangeException(nameof(p), $"PackedMatrix: ({p}, {j}) is outside ({K}, {N})");
            int pc = p / Kc * Kc;
            return Block(pc, j / Nr * Nr)[(p - pc) * Nr + j % Nr];
        }
    }

    /// <summary>B as a dense (k, n) row-major array.</summary>
    public float[] Unpack()
    {
        var dense = new float[K * N];
        for (int p = 0; p < K; p++)
            for (int j = 0; j < N; j++) dense[p * N + j] = this[p, j];
        return dense;
    }
}
