using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>Token embeddings and position modules for Transformer stacks, initialised as fairseq does.</summary>
internal static class TransformerEmbeddings
{
    /// <summary>
    /// An (vocab, dModel) table. With √dModel scaling the rows are drawn from N(0, dModel^-½) (fairseq),
    /// so scaled embeddings have unit-size entries, comparable with the sinusoidal positions; without
    /// scaling PyTorch's N(0, 1) is kept.
    /// </summary>
    public static Embedding Create(int vocabularySize, TransformerConfig config, RandomGenerator rng)
    {
        var embedding = new Embedding(vocabularySize, config.DModel, rng);
        if (config.ScaleEmbeddings)
            Initializers.Normal(embedding.Weight, rng, 0f, 1f / MathF.Sqrt(config.DModel));
        return embedding;
    }

    /// <summary>The absolute-position module (registered by the caller as <c>embed_positions</c>), or null
    /// for <see cref="TransformerPositionKind.RelativeBias"/>.</summary>
    public static Module? CreateAbsolutePositions(TransformerConfig config, RandomGenerator rng) => config.Positions switch
    {
        TransformerPositionKind.Sinusoidal => new SinusoidalPositionalEmbedding(config.MaxLength, config.DModel),
        TransformerPositionKind.SinusoidalConcatenated =>
            new SinusoidalPositionalEmbedding(config.MaxLength, config.DModel, SinusoidalLayout.Concatenated),
        TransformerPositionKind.SinusoidalOpenNmt =>
            new SinusoidalPositionalEmbedding(config.MaxLength, config.DModel, SinusoidalLayout.OpenNmt),
        TransformerPositionKind.Learned =>
            new LearnedPositionalEmbedding(config.MaxLength, config.DModel, rng, config.LearnedPositionOffset),
        _ => null,
    };

    /// <summary>
    /// The stack input before dropout: tokens · scale, plus the absolute positions offset .. offset+len-1
    /// when there are any, then the embedding norm when there is one.
    /// </summary>
    /// <param name="tokens">(batch, len, dModel) looked-up token embeddings.</param>
    /// <param name="scale">Embedding multiplier (√dModel or 1).</param>
    /// <param name="positions">From <see cref="CreateAbsolutePositions"/>; null adds nothing.</param>
    /// <param name="embeddingNorm">From <see cref="TransformerNorms.Create"/>, or null.</param>
    /// <param name="offset">Position of the first of the len tokens (tokens already decoded).</param>
    /// <returns>(batch, len, dModel)</returns>
    public static Tensor Combine(Tensor tokens, float scale, Module? positions, Module? embeddingNorm, int offset)
    {
        int length = tokens.Dim(1);
        var x = scale == 1f ? tokens : tokens.Multiply(scale);
        x = positions switch
        {
            SinusoidalPositionalEmbedding sinusoidal => x.Add(sinusoidal.Forward(length, offset)),
            LearnedPositionalEmbedding learned => x.Add(learned.Forward(length, offset)),
            _ => x,
        };
        return embeddingNorm is null ? x : TransformerNorms.Apply(embeddingNorm, x);
    }
}
