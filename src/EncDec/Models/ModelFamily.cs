namespace EncDec.Models;

/// <summary>Which architecture a <see cref="ModelConfig"/> describes.</summary>
public enum ModelFamily
{
    /// <summary>A Transformer encoder and decoder, both described by one <see cref="TransformerConfig"/>.</summary>
    Transformer,

    /// <summary>A recurrent encoder and decoder (<see cref="RnnEncoderConfig"/> + <see cref="RnnDecoderConfig"/>).</summary>
    Rnn,
}
