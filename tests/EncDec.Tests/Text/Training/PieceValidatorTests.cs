using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// Which strings may be pieces, as SentencePiece's <c>IsValidSentencePiece</c> decides with spm_train's defaults:
/// one script (digits and punctuation are Common, kana count as Han, marks take the script before them), "▁" only
/// first, at most 16 characters.
/// </summary>
public class PieceValidatorTests
{
    private static readonly PieceValidator Defaults = new(maxLength: 16, splitDigits: false);

    private static int[] CodePoints(string text) => [.. text.EnumerateRunes().Select(r => r.Value)];

    [Theory]
    [InlineData("▁dog")]
    [InlineData("dogs")]
    [InlineData("▁")]
    [InlineData("...")]
    [InlineData("12")]
    [InlineData("1.5")]               // digits are Common, like '.'
    [InlineData("e\u0301t")]          // a combining accent takes the script of the letter before it
    [InlineData("日本語")]
    [InlineData("カタカナ漢字")]        // Katakana and Han count as one script
    [InlineData("ラーメン")]            // the prolonged sound mark too
    [InlineData("Straße")]
    [InlineData("abcdefghijklmnop")]  // 16 characters
    public void Valid(string piece) => Assert.True(Defaults.IsValid(CodePoints(piece)));

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnopq")] // 17 characters
    [InlineData("dog▁")]              // "▁" only first
    [InlineData("▁▁")]
    [InlineData("a.")]                // Latin then Common
    [InlineData("a1")]
    [InlineData("дa")]                // Cyrillic then Latin
    [InlineData("a b")]
    [InlineData("a\tb")]              // the boundary left where a special piece was
    [InlineData("a\u2585")]           // the unknown marker
    public void Invalid(string piece) => Assert.False(Defaults.IsValid(CodePoints(piece)));

    [Fact]
    public void SplitDigits_KeepsEachDigitAlone()
    {
        var validator = new PieceValidator(maxLength: 16, splitDigits: true);

        Assert.True(validator.IsValid(CodePoints("7")));
        Assert.False(validator.IsValid(CodePoints("12")));
        Assert.False(validator.IsValid(CodePoints("１２")));
        Assert.True(validator.IsValid(CodePoints("ab")));
    }

    [Theory]
    [InlineData('A', "Latin")]
    [InlineData('.', "Common")]
    [InlineData('\u0301', "Inherited")]
    [InlineData('ж', "Cyrillic")]
    [InlineData('本', "Han")]
    [InlineData('カ', "Katakana")]
    [InlineData('\uFFFF', "Common")]
    public void Script_FollowsUnicodeScriptsTxt(char c, string script) => Assert.Equal(script, UnicodeScript.Names[UnicodeScript.Of(c)]);
}
