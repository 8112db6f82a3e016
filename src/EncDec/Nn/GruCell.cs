using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// One GRU step, exactly as PyTorch's <c>nn.GRUCell</c> (gate order r, z, n):
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
/// Parameters <c>weight_ih</c> (3·hidden, input), <c>weight_hh</c> (3·hidden, hidden),
/// <c>bias_ih</c> and <c>bias_hh</c> (3·hidden), initialised uniformly on ±1/√hidden.
/// </summary>
public sealed class GruCell : RnnCell
{
    /// <summary>Creates the cell with PyTorch's initialisation drawn from <paramref name="rng"/>.</summary>
    public GruCell(int inputSize, int hiddenSize, RandomGenerator rng)
        : base(nameof(GruCell), gates: 3, inputSize, hiddenSize, rng)
    {
    }

    /// <summary>One step.</summary>
    /// <param name="x">(batch, input)</param>
    /// <param name="h">(batch, hidden)</param>
    /// <returns>h' (batch, hidden)</returns>
    public Tensor Step(Tensor x, Tensor h)
    {
        RnnShapes.Expect(nameof(GruCell), "x", x, -1, InputSize);
        RnnShapes.Expect(nameof(GruCell), "h", h, x.Shape[0], HiddenSize);
        return Update(x.MatMul(WeightIh, transposeB: true), h, WeightHh, BiasIh, BiasHh);
    }

    /// <summary>The step given the input already projected (x W_ihᵀ, (batch, 3·hidden)).</summary>
    internal static Tensor Update(Tensor projectedInput, Tensor h, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        var fromInput = (projectedInput + biasIh).Chunk(3, 1);                              // 3 × (batch, hidden)
        var fromHidden = (h.MatMul(weightHh, transposeB: true) + biasHh).Chunk(3, 1);     // 3 × (batch, hidden)
        var reset = (fromInput[0] + fromHidden[0]).Sigmoid();
        var update = (fromInput[1] + fromHidden[1]).Sigmoid();
        var candidate = (fromInput[2] + reset * fromHidden[2]).Tanh();
        // (1 − z) ⊙ n + z ⊙ h, written as n + z ⊙ (h − n) to save one op.
        return candidate + update * (h - candidate);
    }
}
