namespace EncDec.Text;

/// <summary>
/// The names of a <see cref="Vocabulary"/>'s special tokens. A built vocabulary gives them the first ids, in the
/// order pad, bos, eos, unk, leaving out any set to null: the default gives <c>&lt;pad&gt;</c> 0, <c>&lt;s&gt;</c> 1,
/// <c>&lt;/s&gt;</c> 2, <c>&lt;unk&gt;</c> 3; <see cref="T5"/> gives T5's pad 0, eos 1, unk 2.
/// </summary>
/// <param name="Pad">The padding token.</param>
/// <param name="Bos">The beginning-of-sequence token.</param>
/// <param name="Eos">The end-of-sequence token.</param>
/// <param name="Unknown">The token that stands for anything not in the vocabulary.</param>
public sealed record SpecialTokens(string? Pad = "<pad>", string? Bos = "<s>", string? Eos = "</s>", string? Unknown = "<unk>")
{
    /// <summary><c>&lt;pad&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c>.</summary>
    public static SpecialTokens Default { get; } = new();

    /// <summary>T5's: <c>&lt;pad&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c> and no BOS.</summary>
    public static SpecialTokens T5 { get; } = new(Bos: null);

    /// <summary>No special tokens at all.</summary>
    public static SpecialTokens None { get; } = new(null, null, null, null);

    /// <summary>The tokens that are set, in id order (pad, bos, eos, unk).</summary>
    public IEnumerable<string> InOrder() => new[] { Pad, Bos, Eos, Unknown }.OfType<string>();

    /// <summary>T5's sentinel <c>&lt;extra_id_k&gt;</c>, which marks the k-th masked span in span corruption.</summary>
    public static string Sentinel(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return $"<extra_id_{k}>";
    }

    /// <summary>A target-language tag in the style of Marian / OPUS-MT (<c>&lt;2fr&gt;</c>), put before the source.</summary>
    public static string TargetLanguageTag(string language) => $"<2{language}>";

    /// <summary>A language tag in the style of fairseq multilingual models (<c>__fr__</c>).</summary>
    public static string FairseqLanguageTag(string language) => $"__{language}__";
}
