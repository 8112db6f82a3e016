namespace EncDec.Data.Synthetic;

/// <summary>Shape of the symbol sequences of a <see cref="SymbolSequenceTask"/>.</summary>
/// <param name="AlphabetSize">Distinct symbols: up to 26 they are the letters <c>a</c>, <c>b</c>, ...; above, <c>s0</c>, <c>s1</c>, ...</param>
/// <param name="MinLength">Shortest sequence, in symbols.</param>
/// <param name="MaxLength">Longest sequence, in symbols (lengths are uniform in [MinLength, MaxLength]).</param>
public sealed record SymbolTaskConfig(int AlphabetSize = 20, int MinLength = 5, int MaxLength = 20)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range and its value.</summary>
    public void Validate()
    {
        if (AlphabetSize is < 2 or > 10_000)
            throw new ArgumentException($"alphabet_size must be in [2, 10000], got {AlphabetSize}", nameof(AlphabetSize));
        if (MinLength < 1)
            throw new ArgumentException($"min_length must be at least 1, got {MinLength}", nameof(MinLength));
        if (MaxLength < MinLength)
            throw new ArgumentException($"max_length must be at least min_length {MinLength}, got {MaxLength}", nameof(MaxLength));
    }
}
