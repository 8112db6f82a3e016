using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Root-mean-square normalisation over the last dimension (T5's <c>T5LayerNorm</c>): no mean is
/// subtracted and there is no bias; y = x / √(mean(x²) + eps) · weight. Parameter <c>weight</c> (dim)
/// starting at ones.
/// </summary>
public sealed class RmsNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="dim">Size of the normalised last dimension.</param>
    /// <param name="epsilon">Added to the mean square (T5 uses 1e-6).</param>
    public RmsNorm(int dim, float epsilon = 1e-6f)
    {
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), $"RmsNorm: dim must be positive, got {dim}");
        Dim = dim;
        Epsilon = epsilon;
        Weight = RegisterParameter("weight", Initializers.Ones(Tensor.AllocateZeros([dim], persistent: true)));
    }

    /// <summary>Size of the normalised dimension.</summary>
    public int Dim { get; }

    /// <summary>Added to the mean square.</summary>
    public float Epsilon { get; }

    /// <summary>(dim).</summary>
    public Tensor Weight { get; }

    /// <summary>Normalises each vector along the last dimension.</summary>
    /// <param name="x">(..., dim)</param>
    /// <returns>(..., dim)</returns>
    public Tensor Forward(Tensor x)
    {
        if (x.Rank == 0 || x.Dim(-1) != Dim)
            throw new ShapeMismatchException("RmsNorm", $"input {ShapeMath.Format(x.Shape)} does not end in dim {Dim}");
        return x.RmsNorm(Weight, Epsilon);
    }
}
