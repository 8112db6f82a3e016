using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>x + y.</summary>
public readonly struct AddOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x, float y) => x + y;
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
}

/// <summary>x - y.</summary>
public readonly struct SubtractOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x, float y) => x - y;
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x - y;
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x - y;
}

/// <summary>x * y.</summary>
public readonly struct MultiplyOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x, float y) => x * y;
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y;
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y;
}

/// <summary>x / y.</summary>
public readonly struct DivideOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x, float y) => x / y;
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x / y;
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x / y;
}
