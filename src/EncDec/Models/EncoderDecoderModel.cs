using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// An encoder and a decoder registered as the children <c>encoder</c> and <c>decoder</c>, so checkpoint
/// keys read <c>encoder.layers.0...</c> and <c>decoder.output_projection.weight</c>. Training calls
/// <see cref="Forward"/>; search calls <see cref="Encode"/> once, then <see cref="StartDecoding"/> and one
/// <see cref="Step"/> per token, and never needs to know which architecture it is driving.
/// Any encoder pairs with any decoder: when <see cref="IEncoder.OutputDim"/> differs from
/// <see cref="IDecoder.MemoryDim"/>, a child <c>memory_bridge</c> Linear (encoderDim → decoder MemoryDim) projects
/// the memory (batch, srcLen, encoderDim) → (batch, srcLen, MemoryDim) inside <see cref="Encode"/>; with equal widths
/// there is no bridge, so parameter names are unchanged. Build instances with <see cref="ModelBuilder.Build"/>.
/// </summary>
public sealed class EncoderDecoderModel : Module
{
    /// <summary>Pairs <paramref name="encoder"/> with <paramref name="decoder"/>; both must be <see cref="Module"/>s.</summary>
    /// <param name="encoder">The encoder.</param>
    /// <param name="decoder">The decoder.</param>
    /// <param name="rng">Initialises the memory bridge when the widths differ; a fixed seed when omitted.</param>
    public EncoderDecoderModel(IEncoder encoder, IDecoder decoder, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(decoder);
        RegisterModule("encoder", encoder as Module
            ?? throw new ArgumentException($"EncoderDecoderModel: encoder {encoder.GetType().Name} is not a Module", nameof(encoder)));
        RegisterModule("decoder", decoder as Module
            ?? throw new ArgumentException($"EncoderDecoderModel: decoder {decoder.GetType().Name} is not a Module", nameof(decoder)));
        Encoder = encoder;
        Decoder = decoder;
        if (encoder.OutputDim != decoder.MemoryDim)
            MemoryBridge = RegisterModule("memory_bridge", new Linear(encoder.OutputDim, decoder.MemoryDim, rng ?? new RandomGenerator(0)));
    }

    /// <summary>The (encoderDim → decoder MemoryDim) projection of the memory; null when the widths match.</summary>
    public Linear? MemoryBridge { get; }

    /// <summary>The encoder (child module <c>encoder</c>).</summary>
    public IEncoder Encoder { get; }

    /// <summary>The decoder (child module <c>decoder</c>).</summary>
    public IDecoder Decoder { get; }

    /// <summary>
    /// The arithmetic of the inference path (see <see cref="Models.InferencePrecision"/>), set on whichever of the
    /// encoder and decoder support it (<see cref="ISupportsInferencePrecision"/>: the Transformer ones); a part without
    /// that support keeps float32. Setting <see cref="InferencePrecision.Int8"/> when neither part supports it throws
    /// <see cref="NotSupportedException"/>. Training is unaffected.
    /// </summary>
    public InferencePrecision InferencePrecision
    {
        get => (Encoder as ISupportsInferencePrecision ?? Decoder as ISupportsInferencePrecision)?.InferencePrecision
            ?? InferencePrecision.Float32;
        set
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "EncoderDecoderModel: unknown inference precision");
            var parts = new object[] { Encoder, Decoder }.OfType<ISupportsInferencePrecision>().ToArray();
            if (parts.Length == 0 && value != InferencePrecision.Float32)
                throw new NotSupportedException($"EncoderDecoderModel: {value} inference needs a Transformer encoder or decoder; " +
                    $"this model pairs {Encoder.GetType().Name} with {Decoder.GetType().Name}");
            foreach (var part in parts) part.InferencePrecision = value;
        }
    }

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
    /// <returns>Memory (batch, srcLen, decoder MemoryDim), bridged when needed, zero at pads.</returns>
    public EncoderOutput Encode(IntTensor sourceIds, Tensor sourcePaddingMask)
    {
        var encoded = Encoder.Encode(sourceIds, sourcePaddingMask);
        if (MemoryBridge is null)
            return encoded;
        var projected = MemoryBridge.Forward(encoded.Memory);                   // (batch, srcLen, MemoryDim)
        // The bias would make pads nonzero; the decoders rely on memory being zero there.
        var keep = (1f - encoded.PaddingMask).Reshape([encoded.BatchSize, encoded.SourceLength, 1]); // (batch, srcLen, 1)
        return encoded with { Memory = projected * keep };
    }

    /// <summary>A fresh decoder state over <paramref name="encoded"/> (one row per source sequence).</summary>
    public IDecoderState StartDecoding(EncoderOutput encoded) => Decoder.Start(encoded);

    /// <summary>Feeds one token per row and advances <paramref name="state"/> in place.</summary>
    /// <param name="tokens">(batch) the previous tokens, the start token first.</param>
    /// <param name="state">The state from <see cref="StartDecoding"/> or the previous step.</param>
    /// <returns>(batch, vocab) logits for the next token.</returns>
    public Tensor Step(IntTensor tokens, IDecoderState state) => Decoder.Step(tokens, state);
}
