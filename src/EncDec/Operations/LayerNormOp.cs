using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = (x − mean) / √(var + ε) ⊙ weight + bias over the last dimension, with the biased variance
/// (as PyTorch's LayerNorm). Each row's statistics are computed once, in the same row loop that
/// normalises it: the mean, then the variance as the mean square of x − mean (stable where
/// E[x²] − mean² would cancel). mean and rstd = 1/√(var + ε) are saved as a (rows, 2) tensor in
/// Saved0; backward recomputes x̂ from x.
/// Backward (per row, with x̂ = (x − mean)·rstd, g = dy ⊙ weight; derivation as in PyTorch's
/// layer_norm_backward and llm.c's layernorm_backward):
///   dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  dweight += Σ_rows dy ⊙ x̂,  dbias += Σ_rows dy.
/// </summary>
internal sealed class LayerNormOp : Operation
{
    public static readonly LayerNormOp Instance = new();
    public override string Name => "LayerNorm";

    public static Tensor Forward(Tensor x, Tensor? weight, Tensor? bias, float epsilon)
    {
        int dim = RowNorm.Validate("LayerNorm", x, weight, bias, epsilon);
        int rows = dim == 0 ? 0 : x.Count / dim;
        var y = Tensor.Allocate(x.Shape);
        bool recorded = y.Record(Instance, x, weight, bias);
        if (recorded) y.Saved0 = Tensor.Allocate([rows, 2]);       // (rows, 2): mean, rstd
        if (rows == 0 || dim == 0) return y;
        var saved = recorded ? y.Saved0!.AsSpan() : Span<float>.Empty;
        var source = RowNorm.DenseInto(x, y);
        var output = y.AsSpan();
        var w = weight is null ? default : RowNorm.Dense(weight);
        var b = bias is null ? default : RowNorm.Dense(bias);
        for (int r = 0; r < rows; r++)
        {
            var row = output.Slice(r * dim, dim);
            float mean = TensorPrimitives.Sum(source.Slice(r * dim, dim)) / dim;
            TensorPrimitives.Subtract(source.Slice(r * dim, dim), mean, row);            // x − mean
            float rstd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / dim + epsilon);
            TensorPrimitives.Multiply(row, rstd, row);                                   // x̂
            if (weight is not null && bias is not null) TensorPrimitives.MultiplyAdd(row, w, b, row);
            else if (weight is not null) TensorPrimitives.Multiply(row, w, row);
            else if (bias is not null) TensorPrimitives.Add(row, b, row);
            if (recorded) { saved[2 * r] = mean; saved[2 * r + 1] = rstd; }
        }
        return y;
    }

    public override void Backward(Tensor y)
    {
        Tensor x = y.Input0!, stats = y.Saved0!;
        Tensor? weight = y.Input1, bias = y.Input2;
        int dim = x.Shape[^1];
        if (dim == 0 || x.Count == 0) return;
        var dy = y.Grad!.AsSpan();
        if (bias is not null && bias.RequiresGrad) SumRows(dy, dim, bias.GradBuffer());
        bool needX = x.RequiresGrad, needWeight = weight is not null && weight.RequiresGrad;
        if (!needX && !needWeight) return;
        var source = RowNorm.Dense(x);
        var w = weight is null ? default : RowNorm.Dense(weight);
        var dx = needX ? x.GradBuffer() : default;
        var dw = needWeight ? weight!.GradBuffer() : default;
        var scratch = Tensor.Allocate([2, dim]);
        Span<float> xhat = scratch.AsSpan()[..dim], g = scratch.AsSpan()[dim..];
        var saved = stats.AsSpan();
        for (int r = 0; r < x.Count / dim; r++)
        {
            float mean = saved[2 * r], rstd = saved[2 * r + 1];
            var dyRow = dy.Slice(r * dim, dim);
            TensorPrimitives.Subtract(source.Slice(r * dim, dim), mean, xhat);
            TensorPrimitives.Multiply(xhat, rstd, xhat);                                  // x̂
            if (needWeight) TensorPrimitives.MultiplyAdd(dyRow, xhat, dw, dw);
            if (!needX) continue;
            if (weight is null) dyRow.CopyTo(g); else TensorPrimitives.Multiply(dyRow, w, g);   // g = dy ⊙ w
            float meanG = TensorPrimitives.Sum(g) / dim, meanGx = TensorPrimitives.Dot(g, xhat) / dim;
            TensorPrimitives.Subtract(g, meanG, g);
            TensorPrimitives.MultiplyAdd(xhat, -meanGx, g, g);                          // g − mean(g) − x̂·mean(g⊙x̂)
            var dxRow = dx.Slice(r * dim, dim);
            TensorPrimitives.MultiplyAdd(g, rstd, dxRow, dxRow);
        }
    }

    /// <summary>target += Σ over rows of the (rows, dim) matrix <paramref name="rows"/>.</summary>
    internal static void SumRows(ReadOnlySpan<float> rows, int dim, Span<float> target)
    {
        for (int start = 0; start < rows.Length; start += dim) TensorPrimitives.Add(target, rows.Slice(start, dim), target);
    }
}

public static partial class TensorOps
{
    /// <summary>Layer normalisation over the last dimension (biased variance, as PyTorch), with optional affine weight and bias.</summary>
    /// <param name="x">(..., dim)</param>
    /// <param name="weight">(dim), or null for no scale</param>
    /// <param name="bias">(dim), or null for no shift</param>
    /// <param name="epsilon">added to the variance before the square root</param>
    /// <returns>(..., dim)</returns>
    public static Tensor LayerNorm(this Tensor x, Tensor? weight, Tensor? bias, float epsilon = 1e-5f) =>
        LayerNormOp.Forward(x, weight, bias, epsilon);
}
