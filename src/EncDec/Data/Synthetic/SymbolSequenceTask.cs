using EncDec.Tensors;

namespace EncDec.Data.Synthetic;

/// <summary>
/// The algorithmic tasks used to prove that a sequence-to-sequence stack learns: copy, reverse and sort a random
/// sequence of symbols (Sutskever et al. 2014 reverse the source; sort is from Vinyals et al. 2015, "Pointer Networks").
/// A source such as <c>c a t a</c> gives <c>c a t a</c>, <c>a t a c</c> or <c>a a c t</c>.
/// </summary>
public sealed class SymbolSequenceTask : ISyntheticTask
{
    private readonly string[] _symbols;

    /// <summary>A task applying <paramref name="transform"/> to sequences shaped by <paramref name="config"/> (default: 20 symbols, lengths 5..20).</summary>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public SymbolSequenceTask(SymbolTransform transform, SymbolTaskConfig? config = null)
    {
        Config = config ?? new SymbolTaskConfig();
        Config.Validate();
        Transform = transform;
        _symbols = SymbolNames(Config.AlphabetSize);
    }

    /// <summary>The transformation applied to each source.</summary>
    public SymbolTransform Transform { get; }

    /// <summary>Alphabet size and length range.</summary>
    public SymbolTaskConfig Config { get; }

    /// <summary>The symbols in alphabet order (the order <see cref="SymbolTransform.Sort"/> sorts by).</summary>
    public IReadOnlyList<string> Symbols => _symbols;

    /// <inheritdoc/>
    public string Name => Transform.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public string Description => Transform switch
    {
        SymbolTransform.Copy => "copy a sequence of symbols",
        SymbolTransform.Reverse => "reverse a sequence of symbols",
        _ => "sort a sequence of symbols into alphabet order",
    } + $" ({Config.AlphabetSize} symbols, lengths {Config.MinLength}..{Config.MaxLength})";

    /// <inheritdoc/>
    public SyntheticPair Next(RandomGenerator random)
    {
        int length = Config.MinLength + random.NextInt(Config.MaxLength - Config.MinLength + 1);
        var source = new int[length];
        for (int i = 0; i < length; i++) source[i] = random.NextInt(_symbols.Length);
        var target = (int[])source.Clone();
        if (Transform == SymbolTransform.Reverse) Array.Reverse(target);
        else if (Transform == SymbolTransform.Sort) Array.Sort(target);   // by symbol index, so s2 sorts before s10
        return new SyntheticPair(Join(source), Join(target));
    }

    private string Join(int[] indices) => string.Join(' ', indices.Select(i => _symbols[i]));

    private static string[] SymbolNames(int size) =>
        [.. Enumerable.Range(0, size).Select(i => size <= 26 ? ((char)('a' + i)).ToString() : $"s{i}")];
}
