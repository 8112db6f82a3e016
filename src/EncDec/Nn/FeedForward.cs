using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// The position-wise feed-forward block of a Transformer layer (without residual or norm):
/// <list type="bullet">
/// <item>plain: y = fc2(dropout(act(fc1(x)))), children <c>fc1</c> (dModel → ffnDim) and
/// <c>fc2</c> (ffnDim → dModel), as in BART/Marian;</item>
/// <item>gated: y = wo(dropout(act(wi_0(x)) ⊙ wi_1(x))), children <c>wi_0</c>, <c>wi_1</c>
/// (dModel → ffnDim) and <c>wo</c> (ffnDim → dModel), as in T5 v1.1.</item>
/// </list>
/// The dropout is the one on the hidden activations (BART's activation_dropout, T5's dropout in
/// DenseReluDense); the residual dropout belongs to the enclosing layer.
/// </summary>
public sealed class FeedForward : Module
{
    private readonly Linear? _fc1, _fc2, _wi0, _wi1, _wo;
    private readonly Dropout _dropout;

    /// <summary>Creates the block and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="dModel">Input and output size.</param>
    /// <param name="ffnDim">Hidden size.</param>
    /// <param name="activation">Nonlinearity, and whether the block is gated.</param>
    /// <param name="bias">Whether the projections have biases (T5: false).</param>
    /// <param name="dropout">Dropout probability on the hidden activations.</param>
    /// <param name="rng">Source of the initial values and the dropout masks.</param>
    public FeedForward(int dModel, int ffnDim, FeedForwardActivation activation, bool bias, float dropout, RandomGenerator rng)
    {
        DModel = dModel;
        FfnDim = ffnDim;
        Activation = activation;
        if (IsGated)
        {
            _wi0 = RegisterModule("wi_0", new Linear(dModel, ffnDim, bias, rng));
            _wi1 = RegisterModule("wi_1", new Linear(dModel, ffnDim, bias, rng));
            _wo = RegisterModule("wo", new Linear(ffnDim, dModel, bias, rng));
        }
        else
        {
            _fc1 = RegisterModule("fc1", new Linear(dModel, ffnDim, bias, rng));
            _fc2 = RegisterModule("fc2", new Linear(ffnDim, dModel, bias, rng));
        }
        _dropout = RegisterModule("dropout", new Dropout(dropout, rng));   // no parameters; registered to follow Train/Eval
    }

    /// <summary>Input and output size.</summary>
    public int DModel { get; }

    /// <summary>Hidden size.</summary>
    public int FfnDim { get; }

    /// <summary>Nonlinearity.</summary>
    public FeedForwardActivation Activation { get; }

    /// <summary>The layers, for freezing (null where the form lacks them).</summary>
    internal Linear? Fc1 => _fc1;

    internal Linear? Fc2 => _fc2;

    internal Linear? Wi0 => _wi0;

    internal Linear? Wi1 => _wi1;

    internal Linear? Wo => _wo;

    /// <summary>True for the gated (wi_0, wi_1, wo) form.</summary>
    public bool IsGated => Activation is FeedForwardActivation.GatedGelu or FeedForwardActivation.GatedSilu;

    /// <summary>Applies the block to every position.</summary>
    /// <param name="x">(..., dModel), e.g. (batch, len, dModel)</param>
    /// <returns>(..., dModel)</returns>
    public Tensor Forward(Tensor x)
    {
        if (x.Rank == 0 || x.Dim(-1) != DModel)
            throw new ShapeMismatchException("FeedForward", $"input {ShapeMath.Format(x.Shape)} does not end in dModel {DModel}");
        Tensor hidden;   // (..., ffnDim)
        if (IsGated) hidden = Activate(_wi0!.Forward(x)).Multiply(_wi1!.Forward(x));
        else hidden = Activate(_fc1!.Forward(x));
        hidden = _dropout.Forward(hidden);
        return IsGated ? _wo!.Forward(hidden) : _fc2!.Forward(hidden);
    }

    private Tensor Activate(Tensor x) => Activation switch
    {
        FeedForwardActivation.Relu => x.Relu(),
        FeedForwardActivation.Gelu => x.Gelu(),
        FeedForwardActivation.GeluTanh or FeedForwardActivation.GatedGelu => x.Gelu(GeluApproximation.Tanh),
        FeedForwardActivation.Silu or FeedForwardActivation.GatedSilu => x.Silu(),
        _ => throw new ArgumentOutOfRangeException(nameof(Activation), $"FeedForward: unknown activation {Activation}"),
    };
}
