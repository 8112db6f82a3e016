using System.Numerics.Tensors;
using EncDec.Kernels;
using EncDec.Nn;

namespace EncDec.Models.Inference;

/// <summary>
/// A <see cref="FeedForward"/> block frozen for inference, adding its output onto the residual stream:
/// x += fc2(act(fc1(h))), or for gated activations x += wo(act(wi_0(h)) ⊙ wi_1(h)). ReLU is fused into the
/// first GEMM; other activations run over the hidden buffer with the training path's operators.
/// </summary>
internal sealed class FrozenFeedForward
{
    private readonly FrozenLinear _input, _output;
    private readonly FrozenLinear? _gate;
    private readonly FeedForwardActivation _activation;

    public FrozenFeedForward(FeedForward ffn, InferencePrecision precision)
    {
        _activation = ffn.Activation;
        if (ffn.IsGated)
        {
            (_input, _gate, _output) = (new FrozenLinear(precision, ffn.Wi0!), new FrozenLinear(precision, ffn.Wi1!), new FrozenLinear(precision, ffn.Wo!));
        }
        else
        {
            (_input, _output) = (new FrozenLinear(precision, ffn.Fc1!), new FrozenLinear(precision, ffn.Fc2!));
        }
        HiddenDim = ffn.FfnDim;
    }

    /// <summary>Whether the block multiplies by a gate (and needs gate scratch).</summary>
    public bool IsGated => _gate is not null;

    /// <summary>Width of the hidden layer.</summary>
    public int HiddenDim { get; }

    /// <summary>x (rows, dModel) += FFN(h (rows, dModel)); <paramref name="hidden"/> and <paramref name="gate"/>
    /// are scratch of (rows, HiddenDim) (gate only for gated activations).</summary>
    public void AddTo(int rows, ReadOnlySpan<float> h, Span<float> x, Span<float> hidden, Span<float> gate)
    {
        bool relu = _activation == FeedForwardActivation.Relu;
        _input.Forward(rows, h, hidden, relu: relu);
        var active = hidden[..(rows * HiddenDim)];
        switch (_activation)
        {
            case FeedForwardActivation.Relu: break;
            case FeedForwardActivation.Gelu: UnaryKernel.Apply<GeluOperator>(active, active); break;
            case FeedForwardActivation.GeluTanh or FeedForwardActivation.GatedGelu: UnaryKernel.Apply<GeluTanhOperator>(active, active); break;
            case FeedForwardActivation.Silu or FeedForwardActivation.GatedSilu: UnaryKernel.Apply<SiluOperator>(active, active); break;
            default: throw new InvalidOperationException($"FrozenFeedForward: unknown activation {_activation}");
        }
        if (_gate is not null)
        {
            _gate.Forward(rows, h, gate);
            TensorPrimitives.Multiply(active, gate[..active.Length], active);
        }
        _output.Forward(rows, hidden, x, accumulate: true);
    }
}
