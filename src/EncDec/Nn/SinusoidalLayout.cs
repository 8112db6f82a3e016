namespace EncDec.Nn;

/// <summary>How the sine and cosine columns of a <see cref="SinusoidalPositionalEmbedding"/> are arranged.
/// Both use angle(pos, j) = pos / 10000^(2⌊j/2⌋ / dim) for the j-th frequency slot.</summary>
public enum SinusoidalLayout
{
    /// <summary>Vaswani et al.: column 2i is sin, column 2i+1 is cos of the same frequency.</summary>
    Interleaved,

    /// <summary>[sin | cos]: the first ⌈dim/2⌉ columns are the sines of slots 0, 2, 4, ..., the rest the
    /// cosines of slots 1, 3, 5, ... (Hugging Face's MarianSinusoidalPositionalEmbedding).</summary>
    Concatenated,
}
