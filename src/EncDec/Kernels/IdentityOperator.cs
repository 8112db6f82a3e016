using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>y = x: through <see cref="UnaryKernel.Apply{TOp}"/>, a copy that long spans split over the kernel threads
/// (<see cref="Span{T}.CopyTo"/> runs on the caller's thread alone).</summary>
public readonly struct IdentityOperator : IUnaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x) => x;
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x) => x;
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x) => x;
}
