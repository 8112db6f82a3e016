using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// y = x · Wᵀ + b (PyTorch <c>nn.Linear</c>). Parameters <c>weight</c> (out, in) and optionally
/// <c>bias</c> (out). Initialised as PyTorch does: weight Kaiming-uniform with a = √5, which works out
/// to U(-1/√in, 1/√in), and bias U(-1/√in, 1/√in).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="inFeatures">Size of the input's last dimension.</param>
    /// <param name="outFeatures">Size of the output's last dimension.</param>
    /// <param name="bias">Whether to add a learned bias (T5 has none).</param>
    /// <param name="rng">Source of the initial values.</param>
    public Linear(int inFeatures, int outFeatures, bool bias, RandomGenerator rng)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures),
                $"Linear: features must be positive, got in {inFeatures}, out {outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight",
            Initializers.KaimingUniform(Tensor.AllocateZeros([outFeatures, inFeatures], persistent: true), rng, a: MathF.Sqrt(5f)));
        if (bias)
        {
            float bound = 1f / MathF.Sqrt(inFeatures);
            Bias = RegisterParameter("bias",
                Initializers.Uniform(Tensor.AllocateZeros([outFeatures], persistent: true), rng, -bound, bound));
        }
    }

    /// <summary>Creates a layer with a bias.</summary>
    /// <param name="inFeatures">Size of the input's last dimension.</param>
    /// <param name="outFeatures">Size of the output's last dimension.</param>
    /// <param name="rng">Source of the initial values.</param>
    public Linear(int inFeatures, int outFeatures, RandomGenerator rng) : this(inFeatures, outFeatures, true, rng) { }

    /// <summary>Size of the input's last dimension.</summary>
    public int InFeatures { get; }

    /// <summary>Size of the output's last dimension.</summary>
    public int OutFeatures { get; }

    /// <summary>(out, in).</summary>
    public Tensor Weight { get; }

    /// <summary>(out), or null when the layer has no bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the layer to the last dimension.</summary>
    /// <param name="x">(..., in)</param>
    /// <returns>(..., out)</returns>
    public Tensor Forward(Tensor x)
    {
        if (x.Rank == 0 || x.Dim(-1) != InFeatures)
            throw new ShapeMismatchException("Linear",
                $"input {ShapeMath.Format(x.Shape)} does not end in in_features {InFeatures} (weight {ShapeMath.Format(Weight.Shape)})");
        if (x.Rank == 1) return Forward(x.Reshape(1, InFeatures)).Reshape(OutFeatures);
        return Bias is null ? x.MatMul(Weight, transposeB: true) : x.Linear(Weight, Bias);   // (..., out)
    }
}
