using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// The layer and direction loop shared by <see cref="Lstm"/> and <see cref="Gru"/>. Parameters carry
/// PyTorch's names (<c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, then
/// <c>…_l0_reverse</c> when bidirectional, then layer 1 …) in PyTorch's order, so an
/// <c>nn.LSTM</c>/<c>nn.GRU</c> state dict maps one to one. Layer l &gt; 0 reads the concatenated
/// outputs of both directions of layer l − 1, with dropout between layers (training mode only).
/// </summary>
public abstract class RnnStack : Module
{
    private readonly RnnLayerWeights[] _weights;    // index layer · directions + direction
    private readonly RandomGenerator _rng;
    private readonly string _moduleName;

    private protected RnnStack(string moduleName, int gates, int inputSize, int hiddenSize, int layers,
        bool bidirectional, float dropout, RandomGenerator rng)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || layers <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize),
                $"{moduleName}: sizes must be positive, got input {inputSize}, hidden {hiddenSize}, layers {layers}");
        if (dropout < 0f || dropout >= 1f)
            throw new ArgumentOutOfRangeException(nameof(dropout), $"{moduleName}: dropout must be in [0, 1), got {dropout}");
        _moduleName = moduleName;
        _rng = rng;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Layers = layers;
        Directions = bidirectional ? 2 : 1;
        Dropout = dropout;
        _weights = new RnnLayerWeights[layers * Directions];
        float bound = 1f / MathF.Sqrt(hiddenSize);
        for (int layer = 0; layer < layers; layer++)
            for (int direction = 0; direction < Directions; direction++)
            {
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                int input = layer == 0 ? inputSize : hiddenSize * Directions;
                _weights[layer * Directions + direction] = new RnnLayerWeights(
                    RegisterParameter("weight_ih" + suffix, RnnShapes.UniformParameter(rng, bound, gates * hiddenSize, input)),
                    RegisterParameter("weight_hh" + suffix, RnnShapes.UniformParameter(rng, bound, gates * hiddenSize, hiddenSize)),
                    RegisterParameter("bias_ih" + suffix, RnnShapes.UniformParameter(rng, bound, gates * hiddenSize)),
                    RegisterParameter("bias_hh" + suffix, RnnShapes.UniformParameter(rng, bound, gates * hiddenSize)));
            }
    }

    /// <summary>Size of each input vector.</summary>
    public int InputSize { get; }

    /// <summary>Size of each direction's hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Number of stacked layers.</summary>
    public int Layers { get; }

    /// <summary>1, or 2 when bidirectional.</summary>
    public int Directions { get; }

    /// <summary>Dropout probability applied to the outputs of every layer but the last, in training mode.</summary>
    public float Dropout { get; }

    /// <summary>Number of tensors in one layer's state (2 for LSTM: h and c; 1 for GRU).</summary>
    private protected abstract int StateCount { get; }

    /// <summary>One cell update; the returned array's element 0 is the new h.</summary>
    private protected abstract Tensor[] Step(Tensor projectedInput, Tensor[] state, RnnLayerWeights weights);

    /// <summary>Runs every layer and direction.</summary>
    /// <param name="x">(batch, len, input)</param>
    /// <param name="realTokens">(batch, len), 1 = real, 0 = pad (right padding); null = no padding</param>
    /// <param name="initial">per layer·directions + direction, StateCount tensors (batch, hidden); null = zeros</param>
    /// <returns>outputs (batch, len, hidden·directions), zero at pads, and the final states in the same order as <paramref name="initial"/></returns>
    private protected (Tensor Output, Tensor[][] Final) Run(Tensor x, Tensor? realTokens, Tensor[][]? initial)
    {
        RnnShapes.Expect(_moduleName, "x", x, -1, -1, InputSize);
        int batch = x.Shape[0], length = x.Shape[1];
        if (length == 0) throw new ShapeMismatchException(_moduleName, $"x has shape {ShapeMath.Format(x.Shape)}: sequences must not be empty");
        if (realTokens is not null) RnnShapes.Expect(_moduleName, "mask", realTokens, batch, length);
        CheckInitial(initial, batch);
        var final = new Tensor[_weights.Length][];
        var layerInput = x;
        for (int layer = 0; layer < Layers; layer++)
        {
            var outputs = new Tensor[Directions];
            for (int direction = 0; direction < Directions; direction++)
            {
                int index = layer * Directions + direction;
                var weights = _weights[index];
                var projected = layerInput.MatMul(weights.WeightIh, transposeB: true);     // (batch, len, gates·hidden)
                var start = initial?[index] ?? ZeroState(batch);
                (outputs[direction], final[index]) = RnnSequence.Run(projected, realTokens, start, reverse: direction == 1,
                    (input, state) => Step(input, state, weights));
            }
            layerInput = Directions == 1 ? outputs[0] : TensorOps.Concat(2, outputs);    // (batch, len, hidden·directions)
            if (layer < Layers - 1 && Dropout > 0f) layerInput = layerInput.Dropout(Dropout, _rng, IsTraining);
        }
        return (layerInput, final);
    }

    private Tensor[] ZeroState(int batch)
    {
        var state = new Tensor[StateCount];
        for (int i = 0; i < state.Length; i++) state[i] = Tensor.Zeros(batch, HiddenSize);
        return state;
    }

    private void CheckInitial(Tensor[][]? initial, int batch)
    {
        if (initial is null) return;
        if (initial.Length != _weights.Length)
            throw new ArgumentException($"{_moduleName}: expected {_weights.Length} initial states (layers × directions), got {initial.Length}");
        for (int i = 0; i < initial.Length; i++)
            foreach (var tensor in initial[i]) RnnShapes.Expect(_moduleName, $"initial state {i}", tensor, batch, HiddenSize);
    }
}
