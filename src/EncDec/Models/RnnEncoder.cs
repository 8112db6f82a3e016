using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// Embedding → dropout → a stacked, optionally bidirectional LSTM or GRU. The memory is the top
/// layer's outputs (directions concatenated, zero at pads); the final states are each layer's state
/// after its last real token (forward) and after the first token (reverse), directions concatenated,
/// in layer order, h then c per layer for LSTMs, as <see cref="EncoderOutput.FinalStates"/> documents.
/// </summary>
public sealed class RnnEncoder : Module, IEncoder
{
    private readonly Embedding _embedding;
    private readonly Dropout _dropout;
    private readonly Lstm? _lstm;
    private readonly Gru? _gru;

    /// <summary>Builds the encoder with weights drawn from <paramref name="rng"/> (which also drives dropout).</summary>
    public RnnEncoder(RnnEncoderConfig config, RandomGenerator rng)
    {
        config.Validate();
        Config = config;
        _embedding = RegisterModule("embedding", new Embedding(config.SourceVocabulary, config.EmbeddingDim, rng));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        if (config.CellType == RnnCellType.Lstm)
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
