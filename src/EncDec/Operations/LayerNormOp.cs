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
///   dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  dweight += Σ_rows dy ⊙ x̂,  dbias += Σ_rows dy
/// (<see cref="RowNormBackward"/>, shared with RMSNorm).
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
        RowNormForward.Run(rms: false, RowNorm.DenseInto(x, y), y, RowNorm.DenseTensor(weight), RowNorm.DenseTensor(bias),
            recorded ? y.Saved0 : null, dim, epsilon);
        return y;
    }

    public override void Backward(Tensor y) => RowNormBackward.Run(rms: false, y, y.Input0!, y.Input1, y.Input2);
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
