using EncDec.Data.Synthetic;

namespace EncDec.Tests.Data.Synthetic;

/// <summary>Cardinal numbers against their standard spellings (Académie française tables, traditional orthography).</summary>
public sealed class NumberWordsTests
{
    [Theory]
    [InlineData(1, "un")]
    [InlineData(11, "onze")]
    [InlineData(16, "seize")]
    [InlineData(17, "dix-sept")]
    [InlineData(20, "vingt")]
    [InlineData(21, "vingt et un")]
    [InlineData(22, "vingt-deux")]
    [InlineData(30, "trente")]
    [InlineData(41, "quarante et un")]
    [InlineData(59, "cinquante-neuf")]
    [InlineData(61, "soixante et un")]
    [InlineData(70, "soixante-dix")]
    [InlineData(71, "soixante et onze")]
    [InlineData(72, "soixante-douze")]
    [InlineData(77, "soixante-dix-sept")]
    [InlineData(80, "quatre-vingts")]
    [InlineData(81, "quatre-vingt-un")]
    [InlineData(90, "quatre-vingt-dix")]
    [InlineData(91, "quatre-vingt-onze")]
    [InlineData(99, "quatre-vingt-dix-neuf")]
    public void French_Masculine(int number, string expected) => Assert.Equal(expected, NumberWords.French(number));

    [Theory]
    [InlineData(1, "une")]
    [InlineData(21, "vingt et une")]
    [InlineData(31, "trente et une")]
    [InlineData(81, "quatre-vingt-une")]
    [InlineData(71, "soixante et onze")]
    [InlineData(2, "deux")]
    public void French_Feminine_OnlyAFinalUnAgrees(int number, string expected) =>
        Assert.Equal(expected, NumberWords.French(number, GrammaticalGender.Feminine));

    [Theory]
    [InlineData(1, "one")]
    [InlineData(13, "thirteen")]
    [InlineData(40, "forty")]
    [InlineData(21, "twenty-one")]
    [InlineData(99, "ninety-nine")]
    public void English(int number, string expected) => Assert.Equal(expected, NumberWords.English(number));

    [Fact]
    public void EveryNumber_HasDistinctSpellings()
    {
        var range = Enumerable.Range(1, NumberWords.Max).ToArray();
        Assert.Equal(NumberWords.Max, range.Select(n => NumberWords.French(n)).Distinct().Count());
        Assert.Equal(NumberWords.Max, range.Select(NumberWords.English).Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void OutOfRange_Throws(int number) => Assert.Throws<ArgumentOutOfRangeException>(() => NumberWords.French(number));
}
