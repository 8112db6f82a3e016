using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Layer normalisation over the last dimension (PyTorch <c>nn.LayerNorm</c>):
/// y = (x - mean) / √(var + eps) · weight + bias. Parameters <c>weight</c> (dim) starting at ones and
/// <c>bias</c> (dim) starting at zeros.
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="dim">Size of the normalised last dimension.</param>
    /// <param name="epsilon">Added to the variance (PyTorch default 1e-5).</param>
    public LayerNorm(int dim, float epsilon = 1e-5f)
    {
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), $"LayerNorm: dim must be positive, got {dim}");
        Dim = dim;
        Epsilon = epsilon;
        Weight = RegisterParameter("weight", Initializers.Ones(Tensor.AllocateZeros([dim], persistent: true)));
        Bias = RegisterParameter("bias", Tensor.AllocateZeros([dim], persistent: true));
    }

    /// <summary>Size of the normalised dimension.</summary>
    public int Dim { get; }

    /// <summary>Added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>(dim).</summary>
    public Tensor Weight { get; }

    /// <summary>(dim).</summary>
    public Tensor Bias { get; }

    /// <summary>Normalises each vector along the last dimension.</summary>
    /// <param name="x">(..., dim)</param>
    /// <returns>(..., dim)</returns>
    public Tensor Forward(Tensor x)
    {
        if (x.Rank == 0 || x.Dim(-1) != Dim)
            throw new ShapeMismatchException("LayerNorm", $"input {ShapeMath.Format(x.Shape)} does not end in dim {Dim}");
        return x.LayerNorm(Weight, Bias, Epsilon);
    }
}
