namespace EncDec.Text;

/// <summary>
/// A token that a byte-level BPE tokenizer finds in the text before any other step, as Hugging Face tokenizers'
/// <c>AddedToken</c> (an entry of <c>added_tokens</c> in <c>tokenizer.json</c>): the text it matches is never split,
/// and encodes to <see cref="Id"/>.
/// </summary>
/// <param name="Id">The id it encodes to.</param>
/// <param name="Content">The text it matches, exactly.</param>
/// <param name="Special">A special token (such as <c>&lt;|endoftext|&gt;</c>), left out when decoding with <c>skipSpecialTokens</c>.</param>
/// <param name="SingleWord">Matches only where no word character (letter, mark, digit, underscore) touches it on either side.</param>
/// <param name="LeftStrip">Also takes the whitespace just before it, which then encodes to nothing.</param>
/// <param name="RightStrip">Also takes the whitespace just after it, which then encodes to nothing.</param>
/// <param name="Normalized">Matched against the normalised text, after the tokens that are not. No normaliser is
/// supported, so the only effect is that order: tokens with <c>normalized: false</c> are found first.</param>
public sealed record AddedToken(
    int Id,
    string Content,
    bool Special = true,
    bool SingleWord = false,
    bool LeftStrip = false,
    bool RightStrip = false,
    bool Normalized = false);
