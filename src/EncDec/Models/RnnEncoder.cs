using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// Embedding → dropout → a stacked, optionally bidirectional LSTM or GRU. The memory is the top
/// layer's outputs (directions concatenated, zero at pads); the final states are each layer's state
/// after its last real token (forward) and after the first token (reverse), directions concatenated,
/// in layer order, h then c per layer for LSTMs, as <see cref="EncoderOutput.FinalStates"/> documents.
/// With the GNMT options (<see cref="RnnEncoderConfig.BidirectionalBottomLayerOnly"/>,
/// <see cref="RnnEncoderConfig.ResidualFromLayer"/>) each layer is its own single-layer stack (<c>layers.N</c>):
/// only layer 0 may be bidirectional, and layers from ResidualFromLayer add their input to their output.
/// </summary>
public sealed class RnnEncoder : Module, IEncoder
{
    private readonly Embedding _embedding;
    private readonly Dropout _dropout;
    private readonly Lstm? _lstm;
    private readonly Gru? _gru;
    private readonly IReadOnlyList<RnnStack>? _layers;   // GNMT options: one single-layer stack per layer

    /// <summary>Builds the encoder with weights drawn from <paramref name="rng"/> (which also drives dropout).</summary>
    public RnnEncoder(RnnEncoderConfig config, RandomGenerator rng)
    {
        config.Validate();
        Config = config;
        _embedding = RegisterModule("embedding", new Embedding(config.SourceVocabulary, config.EmbeddingDim, rng));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        if (config.UsesPerLayerStacks)
            _layers = RegisterModules("layers", Enumerable.Range(0, config.Layers).Select(layer => LayerStack(config, layer, rng)).ToArray());
        else if (config.CellType == RnnCellType.Lstm)
            _lstm = RegisterModule("rnn", new Lstm(config.EmbeddingDim, config.HiddenSize, config.Layers, config.Bidirectional, config.Dropout, rng));
        else
            _gru = RegisterModule("rnn", new Gru(config.EmbeddingDim, config.HiddenSize, config.Layers, config.Bidirectional, config.Dropout, rng));
    }

    /// <summary>The configuration the encoder was built from.</summary>
    public RnnEncoderConfig Config { get; }

    /// <inheritdoc/>
    public int OutputDim => Config.OutputDim;

    /// <inheritdoc/>
    public EncoderOutput Encode(IntTensor sourceIds, Tensor paddingMask)
    {
        if (sourceIds.Rank != 2 || paddingMask.Rank != 2 || paddingMask.Shape[0] != sourceIds.Shape[0] || paddingMask.Shape[1] != sourceIds.Shape[1])
            throw new ArgumentException($"RnnEncoder: ids {sourceIds} and padding mask {ShapeMath.Format(paddingMask.Shape)} must both be (batch, srcLen)");
        var embedded = _dropout.Forward(_embedding.Forward(sourceIds));   // (batch, srcLen, emb)
        var realMask = 1f - paddingMask;                                    // (batch, srcLen): the stacks' 1 = real convention
        Tensor memory;                                                      // (batch, srcLen, hidden·directions)
        var states = new List<Tensor>();                                    // per layer and direction, each (batch, hidden)
        var cells = new List<Tensor>();
        if (_layers is not null)
        {
            var final = new List<Tensor>();
            memory = RunLayers(embedded, realMask, final);
            return new EncoderOutput(memory, paddingMask, final);
        }
        if (_lstm is not null)
        {
            (memory, var final) = _lstm.Forward(embedded, realMask);
            states.AddRange(final.Select(s => s.H));
            cells.AddRange(final.Select(s => s.C));
        }
        else
        {
            (memory, var final) = _gru!.Forward(embedded, realMask);
            states.AddRange(final);
        }
        return new EncoderOutput(memory, paddingMask, FinalStates(states, cells));
    }

    /// <summary>Layer <paramref name="layer"/> of the per-layer form: bidirectional when the whole encoder is, or when it is the bottom one.</summary>
    private static RnnStack LayerStack(RnnEncoderConfig config, int layer, RandomGenerator rng)
    {
        int input = layer == 0 ? config.EmbeddingDim : config.LayerOutputDim(layer - 1);
        bool bidirectional = config.LayerOutputDim(layer) == 2 * config.HiddenSize;
        return config.CellType == RnnCellType.Lstm
            ? new Lstm(input, config.HiddenSize, 1, bidirectional, 0f, rng)
            : new Gru(input, config.HiddenSize, 1, bidirectional, 0f, rng);
    }

    /// <summary>Runs the per-layer stacks with dropout between layers and residuals from
    /// <see cref="RnnEncoderConfig.ResidualFromLayer"/>; appends each layer's final states (directions concatenated,
    /// h then c for LSTMs) to <paramref name="final"/>.</summary>
    /// <returns>the top layer's outputs (batch, srcLen, OutputDim), zero at pads</returns>
    private Tensor RunLayers(Tensor embedded, Tensor realMask, List<Tensor> final)
    {
        var x = embedded;   // (batch, srcLen, layer input width)
        for (int layer = 0; layer < _layers!.Count; layer++)
        {
            if (layer > 0) x = _dropout.Forward(x);
            Tensor output;   // (batch, srcLen, LayerOutputDim(layer))
            if (_layers[layer] is Lstm lstm)
            {
                (output, var states) = lstm.Forward(x, realMask);
                final.Add(JoinAll(states.Select(s => s.H).ToList()));
                final.Add(JoinAll(states.Select(s => s.C).ToList()));
            }
            else
            {
                (output, var states) = ((Gru)_layers[layer]).Forward(x, realMask);
                final.Add(JoinAll(states.ToList()));
            }
            bool residual = Config.ResidualFromLayer > 0 && layer >= Config.ResidualFromLayer;
            x = residual ? output + x : output;   // x and output are both zero at pads, so the sum is too
        }
        return x;
    }

    private static Tensor JoinAll(List<Tensor> directions) => directions.Count == 1 ? directions[0] : TensorOps.Concat(1, directions.ToArray());

    /// <summary>Concatenates the directions of each layer: (batch, hidden·directions) per layer, h then c.</summary>
    private List<Tensor> FinalStates(List<Tensor> states, List<Tensor> cells)
    {
        int directions = Config.Bidirectional ? 2 : 1;
        var result = new List<Tensor>();
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            result.Add(JoinDirections(states, layer, directions));
            if (cells.Count > 0) result.Add(JoinDirections(cells, layer, directions));
        }
        return result;
    }

    private static Tensor JoinDirections(List<Tensor> perDirection, int layer, int directions) =>
        directions == 1 ? perDirection[layer] : TensorOps.Concat(1, perDirection[2 * layer], perDirection[2 * layer + 1]);
}
