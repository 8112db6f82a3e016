using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// A stacked, optionally bidirectional GRU over padded batches, with PyTorch <c>nn.GRU</c> parameter
/// names (see <see cref="RnnStack"/>); each step is <see cref="GruCell"/>'s update.
/// </summary>
public sealed class Gru : RnnStack
{
    /// <summary>Creates the stack with PyTorch's initialisation (uniform ±1/√hidden) drawn from <paramref name="rng"/>, which also drives dropout.</summary>
    public Gru(int inputSize, int hiddenSize, int layers, bool bidirectional, float dropout, RandomGenerator rng)
        : base(nameof(Gru), 3, inputSize, hiddenSize, layers, bidirectional, dropout, rng)
    {
    }

    private protected override int StateCount => 1;

    /// <summary>Runs the sequence through every layer and direction.</summary>
    /// <param name="x">(batch, len, input)</param>
    /// <param name="mask">(batch, len), 1 = real token, 0 = pad (right padding); null = no padding</param>
    /// <param name="initial">one h per layer and direction, ordered l0, l0_reverse, l1, …; each (batch, hidden); null = zeros</param>
    /// <returns>
    /// Output (batch, len, hidden·directions), zero at pads; Final: h after each sequence's last real token
    /// (forward) or first token (reverse), in the order of <paramref name="initial"/>, each (batch, hidden).
    /// </returns>
    public (Tensor Output, IReadOnlyList<Tensor> Final) Forward(Tensor x, Tensor? mask = null, IReadOnlyList<Tensor>? initial = null)
    {
        var (output, final) = Run(x, mask, initial?.Select(h => new[] { h }).ToArray());
        return (output, final.Select(s => s[0]).ToArray());
    }

    private protected override Tensor[] Step(Tensor projectedInput, Tensor[] state, RnnLayerWeights weights) =>
        [GruCell.Update(projectedInput, state[0], weights.WeightHh, weights.BiasIh, weights.BiasHh)];
}
