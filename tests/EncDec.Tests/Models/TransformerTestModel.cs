using EncDec.Models;
using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

/// <summary>A tiny Transformer (dModel 16, 2 heads, ffn 32, 2+2 layers, vocab 11) and padded batches for it.</summary>
internal sealed class TransformerTestModel
{
    public const int Vocabulary = 11, Pad = 0;

    public TransformerTestModel(bool preNorm, bool tied = false, ulong seed = 3, int vocabulary = Vocabulary,
        int dModel = 16, int ffnDim = 32, FeedForwardActivation activation = FeedForwardActivation.Relu)
    {
        Config = new TransformerConfig(vocabulary, vocabulary, DModel: dModel, Heads: 2, FfnDim: ffnDim,
            EncoderLayers: 2, DecoderLayers: 2, Dropout: 0f, PreNorm: preNorm, MaxLength: 64,
            TieOutputToEmbedding: tied, Activation: activation);
        var rng = new RandomGenerator(seed);
        Encoder = new TransformerEncoder(Config, rng);
        Decoder = new TransformerDecoder(Config, rng);
    }

    public TransformerConfig Config { get; }
    public TransformerEncoder Encoder { get; }
    public TransformerDecoder Decoder { get; }

    public IEnumerable<Tensor> Parameters() => Encoder.Parameters().Concat(Decoder.Parameters());

    public EncoderOutput Encode(int[][] rows, int? length = null) => Encoder.Encode(Ids(rows, length: length), PaddingMask(rows, length));

    /// <summary>(batch, length) ids padded on the right with <paramref name="fill"/> (default <see cref="Pad"/>);
    /// length defaults to the longest row.</summary>
    public static IntTensor Ids(int[][] rows, int? fill = null, int? length = null)
    {
        int width = length ?? rows.Max(r => r.Length);
        var data = new int[rows.Length * width];
        for (int b = 0; b < rows.Length; b++)
            for (int t = 0; t < width; t++) data[b * width + t] = t < rows[b].Length ? rows[b][t] : fill ?? Pad;
        return new IntTensor(data, rows.Length, width);
    }

    /// <summary>(batch, length): 1 beyond each row's length; length defaults to the longest row.</summary>
    public static Tensor PaddingMask(int[][] rows, int? width = null)
    {
        int length = width ?? rows.Max(r => r.Length);
        var mask = new float[rows.Length * length];
        for (int b = 0; b < rows.Length; b++)
            for (int t = rows[b].Length; t < length; t++) mask[b * length + t] = 1f;
        return Tensor.FromArray(mask, rows.Length, length);
    }

    public static float MaxAbsDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0f;
        for (int i = 0; i < a.Length; i++) max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        return max;
    }
}
