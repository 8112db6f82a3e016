using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>Chooses the GEMM micro-kernel for the calling thread's <see cref="SimdPath"/>.</summary>
internal static class GemmKernels
{
    [ThreadStatic] private static GemmKernelKind? t_forced;

    /// <summary>Register tile (rows, columns) of <paramref name="kind"/>.</summary>
    public static (int Mr, int Nr) Shape(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => (GemmMicroKernel512.Mr, GemmMicroKernel512.Nr),
        GemmKernelKind.Vector256 => (GemmMicroKernel256.Mr, GemmMicroKernel256.Nr),
        GemmKernelKind.Vector256Narrow => (GemmMicroKernel256Narrow.Mr, GemmMicroKernel256Narrow.Nr),
        _ => (GemmMicroKernelScalar.Mr, GemmMicroKernelScalar.Nr),
    };

    /// <summary>
    /// The kernel for <paramref name="level"/>: Avx512 takes the 512-bit kernel unless
    /// <see cref="Gemm.PreferredVectorWidth"/> is 256; 256-bit work takes the 24-accumulator kernel
    /// where AVX-512VL provides 32 vector registers, else the 12-accumulator one.
    /// </summary>
    public static GemmKernelKind Select(SimdLevel level)
    {
        if (t_forced is { } forced) return forced;
        if (level == SimdLevel.Avx512 && Gemm.PreferredVectorWidth == 512) return GemmKernelKind.Vector512;
        if (level >= SimdLevel.Avx2)
            return Avx512F.VL.IsSupported ? GemmKernelKind.Vector256 : GemmKernelKind.Vector256Narrow;
        return GemmKernelKind.Scalar;
    }

    /// <summary>Every kernel this CPU can run (tests run each one).</summary>
    public static IReadOnlyList<GemmKernelKind> Available { get; } = DetectAvailable();

    /// <summary>Forces <paramref name="kind"/> on this thread until disposed (tests and measurements).</summary>
    public static Scope Force(GemmKernelKind kind)
    {
        if (!Available.Contains(kind)) throw new PlatformNotSupportedException($"GEMM kernel {kind} needs a wider CPU");
        var previous = t_forced;
        t_forced = kind;
        return new Scope(previous);
    }

    private static GemmKernelKind[] DetectAvailable()
    {
        var kinds = new List<GemmKernelKind> { GemmKernelKind.Scalar };
        if (SimdPath.Supported >= SimdLevel.Avx2) kinds.Add(GemmKernelKind.Vector256Narrow);
        if (SimdPath.Supported >= SimdLevel.Avx2 && Avx512F.VL.IsSupported) kinds.Add(GemmKernelKind.Vector256);
        if (SimdPath.Supported >= SimdLevel.Avx512) kinds.Add(GemmKernelKind.Vector512);
        return kinds.ToArray();
    }

    /// <summary>Restores the previous kernel choice when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly GemmKernelKind? _previous;
        internal Scope(GemmKernelKind? previous) => _previous = previous;
        /// <inheritdoc />
        public void Dispose() => t_forced = _previous;
    }
}
