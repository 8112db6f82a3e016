using EncDec.Nn;

namespace EncDec.Models;

/// <summary>
/// Named, ready-made configurations sized for small-data NMT (10⁵–10⁶ sentence pairs, vocabularies of a
/// few thousand to ~16k). Change any field afterwards with <c>with</c> expressions.
/// <list type="table">
/// <listheader><term>name</term><description>architecture</description></listheader>
/// <item><term>sutskever-lstm</term><description>Sutskever et al. 2014: 2-layer unidirectional LSTM encoder (emb 256,
/// hidden 256) into a 2-layer LSTM decoder (emb 256, hidden 256) that starts from the encoder's final states, layer to
/// layer; no attention; dropout 0.2.</description></item>
/// <item><term>bahdanau-gru</term><description>Bahdanau et al. 2015: 1-layer bidirectional GRU encoder (emb 256, hidden
/// 256 per direction) into a 1-layer GRU decoder (emb 256, hidden 256) with additive attention, initialised from the
/// encoder through the bridge (512 → 256); dropout 0.2.</description></item>
/// <item><term>bahdanau-lstm</term><description>As bahdanau-gru with LSTM cells.</description></item>
/// <item><term>luong-lstm</term><description>Luong et al. 2015: 2-layer unidirectional LSTM encoder into a 2-layer
/// LSTM decoder (emb 256, hidden 256) with the general score and input feeding, initialised from the encoder;
/// dropout 0.2.</description></item>
/// <item><term>transformer</term><description>Vaswani et al. 2017, post-LN, shrunk for small data: dModel 256, 4 heads,
/// ffn 1024, 3+3 layers, dropout 0.3 (as fairseq's IWSLT recipes), positions up to 512, scaled embeddings, ReLU,
/// output projection tied to the target embedding (Press and Wolf 2017).</description></item>
/// <item><term>transformer-preln</term><description>As transformer with pre-LN layers (Xiong et al. 2020).</description></item>
/// <item><term>t5</term><description>T5 v1.1 (Raffel et al. 2020) at the transformer preset's size (dModel 256, 4 heads,
/// ffn 1024, 3+3 layers, dropout 0.3, positions up to 512): pre-RMSNorm, no biases, unscaled attention, relative
/// position bias (32 buckets, max distance 128) per stack, gated-GELU FFN, unscaled embeddings, output tied to the
/// target embedding. (Hugging Face's T5 also rescales tied outputs by dModel^-½; this preset does not.)</description></item>
/// <item><term>bart</term><description>BART (Lewis et al. 2020) at the same size: post-LN, learned positions with
/// offset 2, layernorm_embedding, GELU, unscaled embeddings, final_logits_bias, output tied.</description></item>
/// <item><term>marian</term><description>Marian (Junczys-Dowmunt et al. 2018) at the same size: post-LN, concatenated
/// sinusoids (sines then cosines), √dModel-scaled embeddings, ReLU, final_logits_bias, output tied.</description></item>
/// <item><term>gnmt</term><description>GNMT (Wu et al. 2016) shrunk: 4-layer LSTM encoder (emb 256, hidden 256) whose
/// bottom layer alone is bidirectional, residual connections from the third layer (index 2) in encoder and
/// decoder, 4-layer LSTM decoder whose bottom layer's h queries additive attention, the context joining every upper
/// layer's input; zero initial states; dropout 0.2.</description></item>
/// </list>
/// Every preset uses seed 1. Parameter counts with 8000 source and 8000 target ids: sutskever-lstm 8.26M,
/// bahdanau-gru 12.15M, bahdanau-lstm 12.68M, luong-lstm 8.72M, transformer 9.63M, transformer-preln 9.63M,
/// t5 11.18M (the gated FFN has three matrices), bart 9.90M, marian 9.63M, gnmt 14.12M.
/// </summary>
public static class ModelPresets
{
    private const ulong DefaultSeed = 1;
    private const int RnnWidth = 256;
    private const float RnnDropout = 0.2f;

    /// <summary>The preset names, in the order of the table above.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["sutskever-lstm", "bahdanau-gru", "bahdanau-lstm", "luong-lstm", "transformer", "transformer-preln", "t5", "bart", "marian", "gnmt"];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive) for the given vocabulary sizes.</summary>
    /// <exception cref="ArgumentException">The name is not a preset; the message lists the valid names.</exception>
    public static ModelConfig Get(string name, int sourceVocabulary, int targetVocabulary)
    {
        ArgumentNullException.ThrowIfNull(name);
        var config = name.ToLowerInvariant() switch
        {
            "sutskever-lstm" => Rnn(RnnCellType.Lstm, layers: 2, bidirectional: false, RnnAttentionKind.None),
            "bahdanau-gru" => Rnn(RnnCellType.Gru, layers: 1, bidirectional: true, RnnAttentionKind.Bahdanau),
            "bahdanau-lstm" => Rnn(RnnCellType.Lstm, layers: 1, bidirectional: true, RnnAttentionKind.Bahdanau),
            "luong-lstm" => Rnn(RnnCellType.Lstm, layers: 2, bidirectional: false, RnnAttentionKind.LuongGeneral),
            "transformer" => Transformer(preNorm: false),
            "transformer-preln" => Transformer(preNorm: true),
            "t5" => Variant(t => t with
            {
                PreNorm = true, Norm = TransformerNormKind.RmsNorm, Bias = false, ScaleAttention = false,
                Positions = TransformerPositionKind.RelativeBias, Activation = FeedForwardActivation.GatedGelu,
                ScaleEmbeddings = false,
            }),
            "bart" => Variant(t => t with
            {
                Positions = TransformerPositionKind.Learned, LearnedPositionOffset = 2, EmbeddingLayerNorm = true,
                Activation = FeedForwardActivation.Gelu, ScaleEmbeddings = false, FinalLogitsBias = true,
            }),
            "marian" => Variant(t => t with
            {
                Positions = TransformerPositionKind.SinusoidalConcatenated, FinalLogitsBias = true,
            }),
            "gnmt" => Gnmt(),
            _ => throw new ArgumentException(
                $"unknown model preset '{name}'; valid presets: {string.Join(", ", Names)}", nameof(name)),
        };
        var sized = config.WithVocabularies(sourceVocabulary, targetVocabulary);
        sized.Validate();
        return sized;
    }

    private static ModelConfig Rnn(RnnCellType cell, int layers, bool bidirectional, RnnAttentionKind attention) =>
        new(ModelFamily.Rnn, 1, 1, DefaultSeed,
            RnnEncoder: new RnnEncoderConfig(cell, EmbeddingDim: RnnWidth, HiddenSize: RnnWidth, Layers: layers,
                Bidirectional: bidirectional, Dropout: RnnDropout, SourceVocabulary: 1),
            RnnDecoder: new RnnDecoderConfig(cell, EmbeddingDim: RnnWidth, HiddenSize: RnnWidth, Layers: layers,
                Dropout: RnnDropout, TargetVocabulary: 1, Attention: attention,
                InputFeeding: attention == RnnAttentionKind.LuongGeneral, InitFromEncoder: true));

    private static ModelConfig Gnmt() =>
        new(ModelFamily.Rnn, 1, 1, DefaultSeed,
            RnnEncoder: new RnnEncoderConfig(RnnCellType.Lstm, EmbeddingDim: RnnWidth, HiddenSize: RnnWidth, Layers: 4,
                Bidirectional: true, Dropout: RnnDropout, SourceVocabulary: 1, BidirectionalBottomLayerOnly: true, ResidualFromLayer: 2),
            RnnDecoder: new RnnDecoderConfig(RnnCellType.Lstm, EmbeddingDim: RnnWidth, HiddenSize: RnnWidth, Layers: 4,
                Dropout: RnnDropout, TargetVocabulary: 1, Attention: RnnAttentionKind.Bahdanau, InputFeeding: false,
                InitFromEncoder: false, ResidualFromLayer: 2, AttentionFromBottomLayer: true));

    /// <summary>The post-LN transformer preset with its Transformer configuration changed by <paramref name="change"/>.</summary>
    private static ModelConfig Variant(Func<TransformerConfig, TransformerConfig> change)
    {
        var config = Transformer(preNorm: false);
        return config with { Transformer = change(config.Transformer!) };
    }

    private static ModelConfig Transformer(bool preNorm) =>
        new(ModelFamily.Transformer, 1, 1, DefaultSeed,
            Transformer: new TransformerConfig(1, 1, DModel: 256, Heads: 4, FfnDim: 1024, EncoderLayers: 3, DecoderLayers: 3,
                Dropout: 0.3f, PreNorm: preNorm, MaxLength: 512, TieOutputToEmbedding: true));
}
