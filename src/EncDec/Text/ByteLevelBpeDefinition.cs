namespace EncDec.Text;

/// <summary>
/// What a byte-level BPE tokenizer is made of, as read from <c>tokenizer.json</c> or from <c>vocab.json</c> +
/// <c>merges.txt</c>, before any table is built.
/// </summary>
/// <param name="Source">Names the file(s) in errors.</param>
/// <param name="Vocabulary">The model's token → id map (byte-level strings, "Ġ" for a space).</param>
/// <param name="Merges">The merge rules, in rank order.</param>
/// <param name="AddedTokens">Tokens found in the text before pre-tokenisation.</param>
/// <param name="AddPrefixSpace">Whether each stretch of text between added tokens gets a leading space when it has none.</param>
/// <param name="UseRegex">Whether text is cut into words by <see cref="Gpt2PreTokenizer"/> before BPE.</param>
/// <param name="UnknownToken">The model's <c>unk_token</c>, given to a byte whose character is not in the vocabulary.</param>
/// <param name="FuseUnknown">Whether a run of unknown bytes becomes one unknown token.</param>
/// <param name="IgnoreMerges">Whether a word that is itself in the vocabulary is taken whole (<c>ignore_merges</c>).</param>
internal sealed record ByteLevelBpeDefinition(
    string Source,
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<BpeMergeRule> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    bool AddPrefixSpace,
    bool UseRegex,
    string? UnknownToken = null,
    bool FuseUnknown = false,
    bool IgnoreMerges = false);
