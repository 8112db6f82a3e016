using EncDec.Nn;

namespace EncDec.Models;

/// <summary>
/// The shape of a Transformer encoder-decoder (Vaswani et al. 2017); the defaults are "base".
/// <see cref="PreNorm"/> false is the original post-LN layer, true the pre-LN layer (Xiong et al. 2020)
/// with a final layer norm after each stack.
/// </summary>
/// <param name="SourceVocabulary">Size of the source vocabulary.</param>
/// <param name="TargetVocabulary">Size of the target vocabulary.</param>
/// <param name="DModel">Model width.</param>
/// <param name="Heads">Attention heads; must divide <paramref name="DModel"/>.</param>
/// <param name="FfnDim">Hidden size of the feed-forward blocks.</param>
/// <param name="EncoderLayers">Number of encoder layers.</param>
/// <param name="DecoderLayers">Number of decoder layers.</param>
/// <param name="Dropout">Residual and embedding dropout probability.</param>
/// <param name="PreNorm">Pre-LN (true) or post-LN (false) layers.</param>
/// <param name="MaxLength">Longest sequence the positional encodings cover.</param>
/// <param name="ScaleEmbeddings">Whether token embeddings are multiplied by √dModel.</param>
/// <param name="Activation">Nonlinearity of the feed-forward blocks.</param>
/// <param name="TieOutputToEmbedding">Whether the decoder's output projection reuses its token embedding.</param>
/// <param name="Norm">Layer norm (default) or RMS norm (T5) in every layer and final stack norm.</param>
/// <param name="Bias">Whether the attention projections and feed-forward blocks have biases (T5: false).
/// Layer norms always keep their bias; choose <see cref="TransformerNormKind.RmsNorm"/> for bias-free norms.</param>
/// <param name="ScaleAttention">Whether attention scores are scaled by 1/√headDim (T5: false).</param>
/// <param name="Positions">How positions are encoded; the default is Vaswani's interleaved sinusoids.</param>
/// <param name="LearnedPositionOffset">Rows skipped before position 0 of a learned table (BART: 2); only with
/// <see cref="TransformerPositionKind.Learned"/>.</param>
/// <param name="EmbeddingLayerNorm">Whether each stack normalises embeddings + positions before the first layer
/// (BART's <c>layernorm_embedding</c>).</param>
/// <param name="FinalLogitsBias">Whether the decoder adds a (vocab) bias <c>final_logits_bias</c> to the logits
/// (BART, Marian); it starts at zero and is trained.</param>
public sealed record TransformerConfig(
    int SourceVocabulary,
    int TargetVocabulary,
    int DModel = 512,
    int Heads = 8,
    int FfnDim = 2048,
    int EncoderLayers = 6,
    int DecoderLayers = 6,
    float Dropout = 0.1f,
    bool PreNorm = false,
    int MaxLength = 1024,
    bool ScaleEmbeddings = true,
    FeedForwardActivation Activation = FeedForwardActivation.Relu,
    bool TieOutputToEmbedding = false,
    TransformerNormKind Norm = TransformerNormKind.LayerNorm,
    bool Bias = true,
    bool ScaleAttention = true,
    TransformerPositionKind Positions = TransformerPositionKind.Sinusoidal,
    int LearnedPositionOffset = 0,
    bool EmbeddingLayerNorm = false,
    bool FinalLogitsBias = false)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        RequirePositive(SourceVocabulary, nameof(SourceVocabulary));
        RequirePositive(TargetVocabulary, nameof(TargetVocabulary));
        RequirePositive(DModel, nameof(DModel));
        RequirePositive(Heads, nameof(Heads));
        RequirePositive(FfnDim, nameof(FfnDim));
        RequirePositive(EncoderLayers, nameof(EncoderLayers));
        RequirePositive(DecoderLayers, nameof(DecoderLayers));
        RequirePositive(MaxLength, nameof(MaxLength));
        if (DModel % Heads != 0)
            throw new ArgumentException($"TransformerConfig: DModel {DModel} is not divisible by Heads {Heads}", nameof(Heads));
        if (!(Dropout >= 0f && Dropout < 1f))
            throw new ArgumentException($"TransformerConfig: Dropout must be in [0, 1), got {Dropout}", nameof(Dropout));
        if (!Enum.IsDefined(Norm))
            throw new ArgumentException($"TransformerConfig: unknown Norm {Norm}", nameof(Norm));
        if (!Enum.IsDefined(Positions))
            throw new ArgumentException($"TransformerConfig: unknown Positions {Positions}", nameof(Positions));
        if (Positions == TransformerPositionKind.SinusoidalOpenNmt && (DModel < 4 || DModel % 2 != 0))
            throw new ArgumentException(
                $"TransformerConfig: DModel {DModel} must be even and at least 4 with SinusoidalOpenNmt positions", nameof(DModel));
        if (LearnedPositionOffset < 0 || (LearnedPositionOffset != 0 && Positions != TransformerPositionKind.Learned))
            throw new ArgumentException(
                $"TransformerConfig: LearnedPositionOffset {LearnedPositionOffset} must be 0, or non-negative with Learned positions", nameof(LearnedPositionOffset));
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"TransformerConfig: {name} must be positive, got {value}", name);
    }
}
