using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>What LayerNorm and RmsNorm share: argument checks, dense reads of possibly strided tensors, and the
/// arithmetic of one row (also used by the frozen inference norms).</summary>
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

    /// <summary>x itself when dense, else <paramref name="y"/> holding a dense copy of it for the kernel to overwrite
    /// in place.</summary>
    public static Tensor DenseInto(Tensor x, Tensor y)
    {
        if (x.IsContiguous) return x;
        StridedCopy.ToDense(x, y.AsSpan());
        return y;
    }

    /// <summary>The tensor itself when dense (or null), else a dense copy outside the autograd graph.</summary>
    public static Tensor? DenseTensor(Tensor? tensor)
    {
        if (tensor is null || tensor.IsContiguous) return tensor;
        var copy = Tensor.Allocate(tensor.Shape);
        StridedCopy.ToDense(tensor, copy.AsSpan());
        return copy;
    }

    /// <summary>One LayerNorm row: row = (source − mean) · rstd ⊙ weight + bias, with the biased variance; an empty
    /// <paramref name="weight"/> or <paramref name="bias"/> is left out. <paramref name="row"/> may be the source.</summary>
    /// <returns>The row's mean and rstd = 1/√(var + ε).</returns>
    public static (float Mean, float Rstd) LayerNormRow(ReadOnlySpan<float> source, Span<float> row,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float epsilon)
    {
        int dim = source.Length;
        float mean = TensorPrimitives.Sum(source) / dim;
        TensorPrimitives.Subtract(source, mean, row);                                    // x − mean
        float rstd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / dim + epsilon);
        TensorPrimitives.Multiply(row, rstd, row);                                       // x̂
        if (!weight.IsEmpty && !bias.IsEmpty) TensorPrimitives.MultiplyAdd(row, weight, bias, row);
        else if (!weight.IsEmpty) TensorPrimitives.Multiply(row, weight, row);
        else if (!bias.IsEmpty) TensorPrimitives.Add(row, bias, row);
        return (mean, rstd);
    }

    /// <summary>One RMSNorm row: row = source · rstd ⊙ weight (an empty <paramref name="weight"/> is left out).
    /// <paramref name="row"/> may be the source.</summary>
    /// <returns>rstd = 1/√(mean(x²) + ε).</returns>
    public static float RmsNormRow(ReadOnlySpan<float> source, Span<float> row, ReadOnlySpan<float> weight, float epsilon)
    {
        float rstd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(source) / source.Length + epsilon);
        TensorPrimitives.Multiply(source, rstd, row);                                    // x̂
        if (!weight.IsEmpty) TensorPrimitives.Multiply(row, weight, row);
        return rstd;
    }

    private static void CheckAffine(string operation, string what, Tensor x, Tensor? parameter, int dim)
    {
        if (parameter is null || (parameter.Rank == 1 && parameter.Shape[0] == dim)) return;
        throw new ShapeMismatchException(operation, x.Shape, parameter.Shape,
            $"{what} {parameter.Describe()} must have shape ({dim},), the input's last dimension");
    }
}
