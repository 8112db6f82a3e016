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
public sealed class GruCell : Module
{
    /// <summary>Creates the cell with PyTorch's initialisation drawn from <paramref name="rng"/>.</summary>
    public GruCell(int inputSize, int hiddenSize, RandomGenerator rng)
    {
        if (inputSize <= 0 || hiddenSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"GruCell: sizes must be positive, got input {inputSize}, hidden {hiddenSize}");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        float bound = 1f / MathF.Sqrt(hiddenSize);
        WeightIh = RegisterParameter("weight_ih", RnnShapes.UniformParameter(rng, bound, 3 * hiddenSize, inputSize));
        WeightHh = RegisterParameter("weight_hh", RnnShapes.UniformParameter(rng, bound, 3 * hiddenSize, hiddenSize));
        BiasIh = RegisterParameter("bias_ih", RnnShapes.UniformParameter(rng, bound, 3 * hiddenSize));
        BiasHh = RegisterParameter("bias_hh", RnnShapes.UniformParameter(rng, bound, 3 * hiddenSize));
    }

    /// <summary>Size of the input x.</summary>
    public int InputSize { get; }

    /// <summary>Size of h.</summary>
    public int HiddenSize { get; }

    /// <summary>(3·hidden, input), rows in gate order r, z, n.</summary>
    public Tensor WeightIh { get; }

    /// <summary>(3·hidden, hidden), rows in gate order r, z, n.</summary>
    public Tensor WeightHh { get; }

    /// <summary>(3·hidden)</summary>
    public Tensor BiasIh { get; }

    /// <summary>(3·hidden)</summary>
    public Tensor BiasHh { get; }

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
