using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>Token embeddings for Transformer stacks, initialised as fairseq does.</summary>
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
}
