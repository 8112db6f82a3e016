using EncDec.Data.Synthetic;

namespace EncDec.Tests.Data.Synthetic;

/// <summary>Conjugation tables (je, tu, il, nous, vous, ils) against Bescherelle, "La conjugaison pour tous".</summary>
public sealed class FrenchVerbTests
{
    private static string[] Table(Func<int, string> tense) => [.. Enumerable.Range(0, 6).Select(tense)];

    private static FrenchVerb Verb(string english) => EnglishFrenchLexicon.Verb(english).French;

    [Theory]
    [InlineData("be", "suis es est sommes êtes sont", "étais étais était étions étiez étaient", "serai seras sera serons serez seront")]
    [InlineData("have", "ai as a avons avez ont", "avais avais avait avions aviez avaient", "aurai auras aura aurons aurez auront")]
    [InlineData("go", "vais vas va allons allez vont", "allais allais allait allions alliez allaient", "irai iras ira irons irez iront")]
    [InlineData("make", "fais fais fait faisons faites font", "faisais faisais faisait faisions faisiez faisaient", "ferai feras fera ferons ferez feront")]
    [InlineData("take", "prends prends prend prenons prenez prennent", "prenais prenais prenait prenions preniez prenaient", "prendrai prendras prendra prendrons prendrez prendront")]
    [InlineData("see", "vois vois voit voyons voyez voient", "voyais voyais voyait voyions voyiez voyaient", "verrai verras verra verrons verrez verront")]
    [InlineData("eat", "mange manges mange mangeons mangez mangent", "mangeais mangeais mangeait mangions mangiez mangeaient", "mangerai mangeras mangera mangerons mangerez mangeront")]
    [InlineData("like", "aime aimes aime aimons aimez aiment", "aimais aimais aimait aimions aimiez aimaient", "aimerai aimeras aimera aimerons aimerez aimeront")]
    [InlineData("buy", "achète achètes achète achetons achetez achètent", "achetais achetais achetait achetions achetiez achetaient", "achèterai achèteras achètera achèterons achèterez achèteront")]
    [InlineData("come", "viens viens vient venons venez viennent", "venais venais venait venions veniez venaient", "viendrai viendras viendra viendrons viendrez viendront")]
    public void Tables_MatchTheReference(string english, string present, string imperfect, string future)
    {
        var verb = Verb(english);
        Assert.Equal(present.Split(' '), Table(verb.Present));
        Assert.Equal(imperfect.Split(' '), Table(verb.Imperfect));
        Assert.Equal(future.Split(' '), Table(verb.Future));
    }

    [Theory]
    [InlineData("eat", "mangé")]
    [InlineData("take", "pris")]
    [InlineData("see", "vu")]
    [InlineData("have", "eu")]
    [InlineData("be", "été")]
    [InlineData("open", "ouvert")]
    [InlineData("drink", "bu")]
    public void PastParticiples(string english, string expected) => Assert.Equal(expected, Verb(english).PastParticiple);

    [Fact]
    public void AgreeingParticiple_AddsEAndS_ButNeverASecondS()
    {
        var aller = Verb("go");
        Assert.Equal(["allé", "allée", "allés", "allées"],
            new[] { aller.AgreeingParticiple(GrammaticalGender.Masculine, false), aller.AgreeingParticiple(GrammaticalGender.Feminine, false),
                aller.AgreeingParticiple(GrammaticalGender.Masculine, true), aller.AgreeingParticiple(GrammaticalGender.Feminine, true) });
        var prendre = Verb("take");
        Assert.Equal("pris", prendre.AgreeingParticiple(GrammaticalGender.Masculine, true));
        Assert.Equal("prises", prendre.AgreeingParticiple(GrammaticalGender.Feminine, true));
    }

    [Fact]
    public void Regular_RejectsAVerbThatIsNotEr() => Assert.Throws<ArgumentException>(() => FrenchVerb.Regular("finir"));
}
