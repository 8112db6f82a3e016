using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// One LSTM step, exactly as PyTorch's <c>nn.LSTMCell</c> (gate order i, f, g, o):
/// i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(…), g = tanh(…), o = σ(…);
/// c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'). Parameters <c>weight_ih</c> (4·hidden, input),
/// <c>weight_hh</c> (4·hidden, hidden), <c>bias_ih</c> and <c>bias_hh</c> (4·hidden), all
/// initialised uniformly on ±1/√hidden as PyTorch does.
/// </summary>
public sealed class LstmCell : RnnCell
{
    /// <summary>Creates the cell with PyTorch's initialisation drawn from <paramref name="rng"/>.</summary>
    public LstmCell(int inputSize, int hiddenSize, RandomGenerator rng)
        : base(nameof(LstmCell), gates: 4, inputSize, hiddenSize, rng)
    {
    }

    /// <summary>A zero state for <paramref name="batch"/> sequences.</summary>
    public LstmState ZeroState(int batch) => new(Tensor.Zeros(batch, HiddenSize), Tensor.Zeros(batch, HiddenSize));

    /// <summary>One step.</summary>
    /// <param name="x">(batch, input)</param>
    /// <param name="state">h and c, each (batch, hidden)</param>
    /// <returns>h' and c', each (batch, hidden)</returns>
    public LstmState Step(Tensor x, LstmState state)
    {
        RnnShapes.Expect(nameof(LstmCell), "x", x, -1, InputSize);
        int batch = x.Shape[0];
        RnnShapes.Expect(nameof(LstmCell), "h", state.H, batch, HiddenSize);
        RnnShapes.Expect(nameof(LstmCell), "c", state.C, batch, HiddenSize);
        return Update(x.MatMul(WeightIh, transposeB: true), state, WeightHh, BiasIh, BiasHh);
    }

    /// <summary>
    /// The step given the input already projected (x W_ihᵀ, (batch, 4·hidden)), so a stack can project
    /// a whole sequence with one matrix product.
    /// </summary>
    internal static LstmState Update(Tensor projectedInput, LstmState state, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        var gates = projectedInput + biasIh + state.H.MatMul(weightHh, transposeB: true) + biasHh;   // (batch, 4·hidden)
        var chunks = gates.Chunk(4, 1);
        var input = chunks[0].Sigmoid();
        var forget = chunks[1].Sigmoid();
        var candidate = chunks[2].Tanh();
        var output = chunks[3].Sigmoid();
        var c = forget * state.C + input * candidate;
        return new LstmState(output * c.Tanh(), c);
    }
}
