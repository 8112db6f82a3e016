using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// The parameters every PyTorch-style recurrent cell has: <c>weight_ih</c> (gates·hidden, input),
/// <c>weight_hh</c> (gates·hidden, hidden), <c>bias_ih</c> and <c>bias_hh</c> (gates·hidden), all
/// initialised uniformly on ±1/√hidden as PyTorch does. <see cref="LstmCell"/> has 4 gates,
/// <see cref="GruCell"/> 3.
/// </summary>
public abstract class RnnCell : Module
{
    /// <summary>Registers the four parameters, drawn from <paramref name="rng"/>.</summary>
    protected RnnCell(string cellName, int gates, int inputSize, int hiddenSize, RandomGenerator rng)
    {
        if (inputSize <= 0 || hiddenSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"{cellName}: sizes must be positive, got input {inputSize}, hidden {hiddenSize}");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        float bound = 1f / MathF.Sqrt(hiddenSize);
        WeightIh = RegisterParameter("weight_ih", RnnShapes.UniformParameter(rng, bound, gates * hiddenSize, inputSize));
        WeightHh = RegisterParameter("weight_hh", RnnShapes.UniformParameter(rng, bound, gates * hiddenSize, hiddenSize));
        BiasIh = RegisterParameter("bias_ih", RnnShapes.UniformParameter(rng, bound, gates * hiddenSize));
        BiasHh = RegisterParameter("bias_hh", RnnShapes.UniformParameter(rng, bound, gates * hiddenSize));
    }

    /// <summary>Size of the input x.</summary>
    public int InputSize { get; }

    /// <summary>Size of the hidden state h.</summary>
    public int HiddenSize { get; }

    /// <summary>(gates·hidden, input), rows in the cell's gate order.</summary>
    public Tensor WeightIh { get; }

    /// <summary>(gates·hidden, hidden), rows in the cell's gate order.</summary>
    public Tensor WeightHh { get; }

    /// <summary>(gates·hidden)</summary>
    public Tensor BiasIh { get; }

    /// <summary>(gates·hidden)</summary>
    public Tensor BiasHh { get; }
}
