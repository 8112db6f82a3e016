using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// A stacked, optionally bidirectional LSTM over padded batches, with PyTorch <c>nn.LSTM</c> parameter
/// names (see <see cref="RnnStack"/>); each step is <see cref="LstmCell"/>'s update.
/// </summary>
public sealed class Lstm : RnnStack
{
    /// <summary>Creates the stack with PyTorch's initialisation (uniform ±1/√hidden) drawn from <paramref name="rng"/>, which also drives dropout.</summary>
    public Lstm(int inputSize, int hiddenSize, int layers, bool bidirectional, float dropout, RandomGenerator rng)
        : base(nameof(Lstm), 4, inputSize, hiddenSize, layers, bidirectional, dropout, rng)
    {
    }

    private protected override int StateCount => 2;

    /// <summary>Runs the sequence through every layer and direction.</summary>
    /// <param name="x">(batch, len, input)</param>
    /// <param name="mask">(batch, len), 1 = real token, 0 = pad (right padding); null = no padding</param>
    /// <param name="initial">one state per layer and direction, ordered l0, l0_reverse, l1, …; each (batch, hidden); null = zeros</param>
    /// <returns>
    /// Output (batch, len, hidden·directions), zero at pads; Final: the state after each sequence's last
    /// real token (forward) or first token (reverse), in the order of <paramref name="initial"/>.
    /// </returns>
    public (Tensor Output, IReadOnlyList<LstmState> Final) Forward(Tensor x, Tensor? mask = null, IReadOnlyList<LstmState>? initial = null)
    {
        var (output, final) = Run(x, mask, initial?.Select(s => new[] { s.H, s.C }).ToArray());
        return (output, final.Select(s => new LstmState(s[0], s[1])).ToArray());
    }

    private protected override Tensor[] Step(Tensor projectedInput, Tensor[] state, RnnLayerWeights weights)
    {
        var next = LstmCell.Update(projectedInput, new LstmState(state[0], state[1]), weights.WeightHh, weights.BiasIh, weights.BiasHh);
        return [next.H, next.C];
    }
}
