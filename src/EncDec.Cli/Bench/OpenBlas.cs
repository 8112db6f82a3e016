using System.Runtime.InteropServices;

namespace EncDec.Cli.Bench;

/// <summary>
/// OpenBLAS (or another CBLAS), loaded at run time for comparison only: the library never references
/// it. Missing is normal; <see cref="TryLoad"/> then returns null. The library is never unloaded,
/// because its worker threads outlive every call.
/// </summary>
public sealed unsafe class OpenBlas
{
    private static readonly string[] Candidates = ["libopenblas.so.0", "libopenblas.so", "libcblas.so.3"];
    private const int RowMajor = 101, NoTranspose = 111;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setNumThreads;

    private OpenBlas(string name, nint sgemm, nint setNumThreads)
    {
        Name = name;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _setNumThreads = (delegate* unmanaged<int, void>)setNumThreads;
    }

    /// <summary>The file that was loaded.</summary>
    public string Name { get; }

    /// <summary>Loads the first candidate that exports <c>cblas_sgemm</c>; null if none does.</summary>
    public static OpenBlas? TryLoad()
    {
        foreach (var name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm))
            {
                NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setNumThreads);
                return new OpenBlas(name, sgemm, setNumThreads);
            }
            NativeLibrary.Free(handle);
        }
        return null;
    }

    /// <summary>Sets OpenBLAS's thread count (ignored by a CBLAS without threads).</summary>
    public void SetThreads(int threads)
    {
        if (_setNumThreads != null) _setNumThreads(threads);
    }

    /// <summary>C = alpha * A * B + beta * C, all row-major and untransposed.</summary>
    /// <param name="a">(m, k), rows lda apart.</param>
    /// <param name="b">(k, n), rows ldb apart.</param>
    /// <param name="c">(m, n), rows ldc apart.</param>
    public void Sgemm(int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        if (a.Length < (long)(m - 1) * lda + k || b.Length < (long)(k - 1) * ldb + n || c.Length < (long)(m - 1) * ldc + n)
            throw new ArgumentException($"cblas_sgemm operands too small for m={m}, n={n}, k={k}");
        fixed (float* pa = a, pb = b, pc = c)
            _sgemm(RowMajor, NoTranspose, NoTranspose, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
