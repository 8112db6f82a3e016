using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>What LayerNorm and RmsNorm share: argument checks and dense reads of possibly strided tensors.</summary>
internal static class RowNorm
{
    /// <summary>Checks the arguments and returns the normalised (last) dimension.</summary>
    public static int Validate(string operation, Tensor x, Tensor? weight, Tensor? bias, float epsilon)
    {
        if (x.Rank == 0)
            throw new ShapeMismatchException(operation, $"input {x.Describe()} has no last dimension to normalise");
        int dim = x.Shape[^1];
        CheckAffine(operation, "weight", x, weight, dim);
        CheckAffine(operation, "bias", x, bias, dim);
        if (!(epsilon >= 0f) || float.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"{operation}: epsilon must be finite and non-negative, got {epsilon}");
        return dim;
    }

    /// <summary>The elements of <paramref name="tensor"/> in row-major order: its own span, or a dense copy.</summary>
    public static ReadOnlySpan<float> Dense(Tensor tensor)
    {
        if (tensor.IsContiguous) return tensor.AsSpan();
        var copy = Tensor.Allocate(tensor.Shape);
        StridedCopy.ToDense(tensor, copy.AsSpan());
        return copy.AsSpan();
    }

    /// <summary>x's elements densely: x's own span, or a copy written into <paramref name="y"/> for the kernel to overwrite in place.</summary>
    public static ReadOnlySpan<float> DenseInto(Tensor x, Tensor y)
    {
        if (x.IsContiguous) return x.AsSpan();
        StridedCopy.ToDense(x, y.AsSpan());
        return y.AsSpan();
    }

    private static void CheckAffine(string operation, string what, Tensor x, Tensor? parameter, int dim)
    {
        if (parameter is null || (parameter.Rank == 1 && parameter.Shape[0] == dim)) return;
        throw new ShapeMismatchException(operation, x.Shape, parameter.Shape,
            $"{what} {parameter.Describe()} must have shape ({dim},), the input's last dimension");
    }
}
