using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// An encoder and a decoder registered as the children <c>encoder</c> and <c>decoder</c>, so checkpoint
/// keys read <c>encoder.layers.0...</c> and <c>decoder.output_projection.weight</c>. Training calls
/// <see cref="Forward"/>; search calls <see cref="Encode"/> once, then <see cref="StartDecoding"/> and one
/// <see cref="Step"/> per token, and never needs to know which architecture it is driving.
/// Build instances with <see cref="ModelBuilder.Build"/>.
/// </summary>
public sealed class EncoderDecoderModel : Module
{
    /// <summary>Pairs <paramref name="encoder"/> with <paramref name="decoder"/>; both must be <see cref="Module"/>s.</summary>
    public EncoderDecoderModel(IEncoder encoder, IDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(decoder);
        RegisterModule("encoder", encoder as Module
            ?? throw new ArgumentException($"EncoderDecoderModel: encoder {encoder.GetType().Name} is not a Module", nameof(encoder)));
        RegisterModule("decoder", decoder as Module
            ?? throw new ArgumentException($"EncoderDecoderModel: decoder {decoder.GetType().Name} is not a Module", nameof(decoder)));
        Encoder = encoder;
        Decoder = decoder;
    }

    /// <summary>The encoder (child module <c>encoder</c>).</summary>
    public IEncoder Encoder { get; }

    /// <summary>The decoder (child module <c>decoder</c>).</summary>
    public IDecoder Decoder { get; }

    /// <summary>Width of the logits: the target vocabulary size.</summary>
    public int TargetVocabularySize => Decoder.VocabularySize;

    /// <summary>Teacher-forced logits for a batch.</summary>
    /// <param name="sourceIds">(batch, srcLen) source ids, padded on the right.</param>
    /// <param name="sourcePaddingMask">(batch, srcLen): 1 at padding, 0 at real tokens.</param>
    /// <param name="targetInput">(batch, tgtLen) target ids starting with the start token.</param>
    /// <returns>(batch, tgtLen, vocab) logits; position t predicts target token t + 1.</returns>
    public Tensor Forward(IntTensor sourceIds, Tensor sourcePaddingMask, IntTensor targetInput) =>
        Decoder.Forward(targetInput, Encode(sourceIds, sourcePaddingMask));

    /// <summary>Runs the encoder once over a batch.</summary>
    /// <param name="sourceIds">(batch, srcLen) source ids, padded on the right.</param>
    /// <param name="sourcePaddingMask">(batch, srcLen): 1 at padding, 0 at real tokens.</param>
    public EncoderOutput Encode(IntTensor sourceIds, Tensor sourcePaddingMask) => Encoder.Encode(sourceIds, sourcePaddingMask);

    /// <summary>A fresh decoder state over <paramref name="encoded"/> (one row per source sequence).</summary>
    public IDecoderState StartDecoding(EncoderOutput encoded) => Decoder.Start(encoded);

    /// <summary>Feeds one token per row and advances <paramref name="state"/> in place.</summary>
    /// <param name="tokens">(batch) the previous tokens, the start token first.</param>
    /// <param name="state">The state from <see cref="StartDecoding"/> or the previous step.</param>
    /// <returns>(batch, vocab) logits for the next token.</returns>
    public Tensor Step(IntTensor tokens, IDecoderState state) => Decoder.Step(tokens, state);
}
