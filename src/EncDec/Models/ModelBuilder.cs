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
    /// the same initial weights. With <see cref="ModelConfig.TieSourceTargetEmbeddings"/> the decoder reads
    /// the encoder's embedding table, which is listed once (under the encoder) in the parameters and checkpoints.
    /// The model starts in training mode.
    /// </summary>
    public static EncoderDecoderModel Build(ModelConfig config, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        rng ??= new RandomGenerator(config.Seed);
        if (config.Family == ModelFamily.Transformer)
        {
            var transformerEncoder = new TransformerEncoder(config.Transformer!, rng);
            return new EncoderDecoderModel(transformerEncoder,
                new TransformerDecoder(config.Transformer!, rng, config.TieSourceTargetEmbeddings ? transformerEncoder.EmbedTokens : null));
        }
        var encoder = new RnnEncoder(config.RnnEncoder!, rng);
        return new EncoderDecoderModel(encoder, new RnnDecoder(config.RnnDecoder!, encoder.OutputDim, rng, SharedEmbedding(config, encoder)));
    }

    /// <summary>The RNN encoder's <c>embedding</c> module when <see cref="ModelConfig.TieSourceTargetEmbeddings"/>, else null.</summary>
    private static Nn.Embedding? SharedEmbedding(ModelConfig config, RnnEncoder encoder) => !config.TieSourceTargetEmbeddings ? null
        : (Nn.Embedding)encoder.NamedModules().Single(m => m.Name == "embedding").Module;
}
