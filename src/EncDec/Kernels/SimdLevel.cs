namespace EncDec.Kernels;

/// <summary>The instruction-set path a SIMD kernel takes.</summary>
public enum SimdLevel
{
    /// <summary>Plain scalar loops; always available and the reference for the vector paths.</summary>
    Scalar = 0,
    /// <summary>256-bit vectors (AVX2 + FMA).</summary>
    Avx2 = 1,
    /// <summary>512-bit vectors (AVX-512F).</summary>
    Avx512 = 2,
}
