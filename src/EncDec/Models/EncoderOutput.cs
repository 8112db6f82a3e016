using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// What an encoder hands to a decoder: the contextual states of the source and which positions are
/// padding, plus, for recurrent encoders, their final states (Sutskever-style decoders start from them).
/// </summary>
/// <param name="Memory">(batch, srcLen, memoryDim): one state per source position; zero at padding.</param>
/// <param name="PaddingMask">(batch, srcLen): 1 at padding, 0 at real tokens (the attention convention).</param>
/// <param name="FinalStates">Recurrent encoders: the final state of each layer, each (batch, hidden),
/// directions concatenated, in layer order (for LSTMs h then c per layer); empty for other encoders.</param>
public sealed record EncoderOutput(Tensor Memory, Tensor PaddingMask, IReadOnlyList<Tensor> FinalStates)
{
    /// <summary>Number of sequences.</summary>
    public int BatchSize => Memory.Shape[0];

    /// <summary>Source length (padded).</summary>
    public int SourceLength => Memory.Shape[1];

    /// <summary>Width of each memory state.</summary>
    public int MemoryDim => Memory.Shape[2];
}
