using EncDec.Evaluation;

namespace EncDec.Tests.Evaluation;

/// <summary>
/// <see cref="Tokenizer13a"/> against mteval-v13a's rules as SacreBLEU 2.x's <c>tokenizer_13a.py</c> applies them.
/// Each expected value follows from its rules by hand (the comment says which rule acts); they were also checked
/// against a line-by-line Python transcription of that file.
/// </summary>
public class Tokenizer13aTests
{
    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]                 // comma before a non-digit; '!' is a symbol
    [InlineData("1,000.5", "1,000.5")]                               // comma and period between digits stay
    [InlineData("It costs 3.", "It costs 3 .")]                      // a period before the end (a space) splits
    [InlineData("5,a", "5 , a")]                                     // a comma after a digit but before a letter
    [InlineData("U.S.", "U . S .")]                                  // every period next to a letter splits
    [InlineData("state-of-the-art", "state-of-the-art")]             // a hyphen splits only after a digit...
    [InlineData("pages 1-2", "pages 1 - 2")]                         // ...like here
    [InlineData("don't", "don't")]                                   // the apostrophe is not a symbol in 13a
    [InlineData("(a+b)/2=c; x@y #1 $5 100% [z] {w} a|b ~c `d` ^e _f \\g",
        "( a + b ) / 2 = c ; x @ y # 1 $ 5 100 % [ z ] { w } a | b ~ c ` d ` ^ e _ f \\ g")]
    public void AsciiPunctuation_IsSplitOffByTheMtevalRules(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Theory]
    [InlineData("&quot;Hi&quot; &amp; &lt;b&gt;", "\" Hi \" & < b >")]   // unescaped, then split as symbols
    [InlineData("&amp;quot;", "& quot ;")]                             // &quot; is replaced before &amp;: one pass each
    [InlineData("&amp;lt;", "<")]                                      // ...but &lt; after &amp;, so this unescapes twice
    [InlineData("&apos; &nbsp;", "& apos ; & nbsp ;")]                 // other entities are left as text
    public void HtmlEntities_QuotAmpLtGt_AreUnescapedInSacreBleusOrder(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Theory]
    [InlineData("a <skipped> b", "a b")]            // mteval's placeholder is deleted
    [InlineData("well-\nknown", "wellknown")]       // a hyphen at a line break joins the halves
    [InlineData("a\nb", "a b")]                     // any other line break is a space
    [InlineData("x-\n", "x")]
    [InlineData("  spaced \t out  ", "spaced out")] // Python's ' '.join(line.split())
    [InlineData("", "")]
    public void LineBreaksSkippedMarkersAndSpaces_AreNormalised(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Theory]
    [InlineData("„Hallo“ – sagte er…", "„Hallo“ – sagte er…")]   // 13a knows only ASCII symbols
    [InlineData("l’homme «oui»", "l’homme «oui»")]
    [InlineData("€5, 10°.", "€5 , 10° .")]                        // the ASCII comma and period still split
    public void UnicodePunctuation_IsLeftAttached(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Theory]
    [InlineData("a\u00A0b", "a b")]    // no-break space: whitespace in Python and .NET
    [InlineData("a\u001Cb", "a b")]    // file separator: whitespace in Python's str.split, not in char.IsWhiteSpace
    [InlineData("a\u3000b", "a b")]    // ideographic space
    [InlineData("a\u200Bb", "a\u200Bb")] // zero-width space is not whitespace in Python
    public void Whitespace_IsPythonsStrSplitWhitespace(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));
}
