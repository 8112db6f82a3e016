namespace EncDec.Nn;

/// <summary>How the sine and cosine columns of a <see cref="SinusoidalPositionalEmbedding"/> are arranged.
/// Interleaved and Concatenated use angle(pos, j) = pos / 10000^(2⌊j/2⌋ / dim) for the j-th frequency slot;
/// OpenNmt spaces its frequencies and counts its positions differently.</summary>
public enum SinusoidalLayout
{
    /// <summary>Vaswani et al.: column 2i is sin, column 2i+1 is cos of the same frequency.</summary>
    Interleaved,

    /// <summary>[sin | cos]: the first ⌈dim/2⌉ columns are the sines of slots 0, 2, 4, ..., the rest the
    /// cosines of slots 1, 3, 5, ... (Hugging Face's MarianSinusoidalPositionalEmbedding).</summary>
    Concatenated,

    /// <summary>OpenNMT-tf's encoding, which CTranslate2 computes for models without a stored table: [sin | cos]
    /// over dim/2 frequencies 10000^(-i/(dim/2 - 1)) (the last frequency is exactly 1/10000), and positions
    /// counted from 1, so table row p holds position p + 1. Needs an even dim of at least 4.</summary>
    OpenNmt,
}
