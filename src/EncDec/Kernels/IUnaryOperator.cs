using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>An elementwise function y = f(x) in scalar, 256-bit and 512-bit forms; one loop serves every such op.</summary>
public interface IUnaryOperator
{
    /// <summary>The scalar form; also the reference for the vector forms.</summary>
    static abstract float Invoke(float x);
    /// <summary>The AVX2 form.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x);
    /// <summary>The AVX-512 form.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An elementwise function z = f(x, y) in scalar, 256-bit and 512-bit forms.</summary>
public interface IBinaryOperator
{
    /// <summary>The scalar form; also the reference for the vector forms.</summary>
    static abstract float Invoke(float x, float y);
    /// <summary>The AVX2 form.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
    /// <summary>The AVX-512 form.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
