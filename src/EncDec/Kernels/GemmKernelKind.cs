namespace EncDec.Kernels;

/// <summary>The GEMM micro-kernels, by register tile.</summary>
internal enum GemmKernelKind
{
    /// <summary><see cref="GemmMicroKernelScalar"/>: 4 x 4, no SIMD.</summary>
    Scalar,
    /// <summary><see cref="GemmMicroKernel256Narrow"/>: 6 x 16 in 12 ymm accumulators (16-register AVX2 CPUs).</summary>
    Vector256Narrow,
    /// <summary><see cref="GemmMicroKernel256"/>: 12 x 16 in 24 ymm accumulators (needs the 32 registers of AVX-512VL).</summary>
    Vector256,
    /// <summary><see cref="GemmMicroKernel512"/>: 12 x 32 in 24 zmm accumulators.</summary>
    Vector512,
}
