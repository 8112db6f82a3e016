namespace EncDec.Models;

/// <summary>How a Transformer tells positions apart.</summary>
public enum TransformerPositionKind
{
    /// <summary>Fixed sinusoids, sine and cosine interleaved per column pair (fairseq/tensor2tensor), added to the embeddings.</summary>
    Sinusoidal,

    /// <summary>Fixed sinusoids, all sines then all cosines (Marian), added to the embeddings.</summary>
    SinusoidalConcatenated,

    /// <summary>A learned table added to the embeddings; position p reads row p + LearnedPositionOffset (BART: 2).</summary>
    Learned,

    /// <summary>No absolute positions; one learned relative-position bias per stack added to the self-attention
    /// scores of every layer (T5): bidirectional in the encoder, causal in the decoder.</summary>
    RelativeBias,

    /// <summary>Fixed sinusoids as OpenNMT-tf and CTranslate2 compute them (<see cref="Nn.SinusoidalLayout.OpenNmt"/>):
    /// [sin | cos], frequencies 10000^(-i/(dModel/2 - 1)), positions counted from 1; added to the embeddings.
    /// Neither Sinusoidal nor SinusoidalConcatenated gives these values, so a converted CTranslate2 model needs this kind.</summary>
    SinusoidalOpenNmt,
}
