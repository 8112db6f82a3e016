using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = x / √(mean(x²) + ε) ⊙ weight over the last dimension, with no mean subtraction and no bias
/// (T5's LayerNorm, PyTorch's RMSNorm). rstd = 1/√(mean(x²) + ε) per row is saved as a (rows,)
/// tensor in Saved0. Backward (per row, x̂ = x·rstd, g = dy ⊙ weight; LayerNorm's derivation with the
/// mean terms dropped, since no mean was subtracted):
///   dx += rstd · (g − x̂ · mean(g ⊙ x̂)),  dweight += Σ_rows dy ⊙ x̂  (<see cref="RowNormBackward"/>).
/// </summary>
internal sealed class RmsNormOp : Operation
{
    public static readonly RmsNormOp Instance = new();
    public override string Name => "RmsNorm";

    public static Tensor Forward(Tensor x, Tensor? weight, float epsilon)
    {
        int dim = RowNorm.Validate("RmsNorm", x, weight, null, epsilon);
        int rows = dim == 0 ? 0 : x.Count / dim;
        var y = Tensor.Allocate(x.Shape);
        bool recorded = y.Record(Instance, x, weight);
        if (recorded) y.Saved0 = Tensor.Allocate([rows]);          // (rows,): rstd
        if (rows == 0 || dim == 0) return y;
        RowNormForward.Run(rms: true, RowNorm.DenseInto(x, y), y, RowNorm.DenseTensor(weight), bias: null,
            recorded ? y.Saved0 : null, dim, epsilon);
        return y;
    }

    public override void Backward(Tensor y) => RowNormBackward.Run(rms: true, y, y.Input0!, y.Input1, bias: null);
}

public static partial class TensorOps
{
    /// <summary>RMS normalisation over the last dimension (T5 style: no mean subtraction, no bias), with an optional weight.</summary>
    /// <param name="x">(..., dim)</param>
    /// <param name="weight">(dim), or null for no scale</param>
    /// <param name="epsilon">added to mean(x²) before the square root</param>
    /// <returns>(..., dim)</returns>
    public static Tensor RmsNorm(this Tensor x, Tensor? weight, float epsilon = 1e-6f) =>
        RmsNormOp.Forward(x, weight, epsilon);
}
