using EncDec.Data.Synthetic;

namespace EncDec.Tests.Data.Synthetic;

/// <summary>Elision, then contraction, on token sequences.</summary>
public sealed class FrenchOrthographyTests
{
    private static string Apply(string tokens) => string.Join(' ', FrenchOrthography.Apply(tokens.Split(' ')));

    [Theory]
    [InlineData("à le école", "à l'école")]
    [InlineData("de le hôtel", "de l'hôtel")]
    [InlineData("à le marché", "au marché")]
    [InlineData("à les écoles", "aux écoles")]
    [InlineData("de le parc", "du parc")]
    [InlineData("de les parcs", "des parcs")]
    [InlineData("je aime", "j'aime")]
    [InlineData("je ne aime pas", "je n'aime pas")]
    [InlineData("pas de ordinateur", "pas d'ordinateur")]
    [InlineData("la œuf", "l'œuf")]
    [InlineData("de onze", "de onze")]
    [InlineData("de huit", "de huit")]
    [InlineData("le yaourt", "le yaourt")]
    [InlineData("à la gare", "à la gare")]
    public void ElisionThenContraction(string input, string expected) => Assert.Equal(expected, Apply(input));
}
