using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>The one place that turns a <see cref="ModelConfig"/> into an <see cref="EncoderDecoderModel"/>.</summary>
public static class ModelBuilder
{
    /// <summary>
    /// Validates <paramref name="config"/> (throwing <see cref="ArgumentException"/> naming the problem,
    /// e.g. an RNN decoder initialised from an encoder with another cell type or layer count) and builds
    /// the encoder, then the decoder, drawing weights from <paramref name="rng"/>, or from a generator
    /// seeded with <see cref="ModelConfig.Seed"/> when none is given, so the same config always gives
    /// the same initial weights. The model starts in training mode.
    /// </summary>
    public static EncoderDecoderModel Build(ModelConfig config, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        rng ??= new RandomGenerator(config.Seed);
        if (config.Family == ModelFamily.Transformer)
            return new EncoderDecoderModel(new TransformerEncoder(config.Transformer!, rng), new TransformerDecoder(config.Transformer!, rng));
        var encoder = new RnnEncoder(config.RnnEncoder!, rng);
        return new EncoderDecoderModel(encoder, new RnnDecoder(config.RnnDecoder!, encoder.OutputDim, rng));
    }
}
