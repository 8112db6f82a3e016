using EncDec.Data.Synthetic;
using static EncDec.Data.Synthetic.NounPhrase;

namespace EncDec.Tests.Data.Synthetic;

/// <summary>Clauses that break the grammar are refused with a message naming the problem.</summary>
public sealed class EnglishFrenchValidationTests
{
    private static string Refusal(Clause clause) => Assert.Throws<ArgumentException>(() => EnglishFrenchGrammar.Render(clause)).Message;

    [Fact]
    public void UnknownNoun_IsNamed() => Assert.Contains("'unicorn'", Refusal(new Clause(The("unicorn"), "sleep")));

    [Fact]
    public void UnknownVerb_IsNamed() => Assert.Contains("'fly'", Refusal(new Clause(Pronoun.I, "fly")));

    [Fact]
    public void TransitiveVerb_WithoutObject_IsRefused() => Assert.Contains("transitive", Refusal(new Clause(Pronoun.I, "eat")));

    [Fact]
    public void Go_WithoutDestination_IsRefused() => Assert.Contains("needs a complement", Refusal(new Clause(Pronoun.I, "go")));

    [Fact]
    public void ComplementOutsideTheVerbsFrames_IsRefused() =>
        Assert.Contains("takes no complement with 'under'", Refusal(new Clause(Pronoun.I, "go", Complement: new("under", The("table")))));

    [Fact]
    public void ProgressiveOfAStativeVerb_IsRefused() =>
        Assert.Contains("stative", Refusal(new Clause(Pronoun.I, "have", Tense.PastProgressive, Object: A("dog"))));

    [Fact]
    public void TwoAdjectivesOnOneSide_AreRefused() =>
        Assert.Contains("at most one adjective", Refusal(new Clause(The("car", "red", "blue"), "be", Adjective: "fast")));

    [Fact]
    public void CountedMassNoun_IsRefused() =>
        Assert.Contains("mass noun", Refusal(new Clause(Pronoun.I, "drink", Object: Counted(2, "water"))));

    [Fact]
    public void BeWithBothAdjectiveAndLocation_IsRefused() =>
        Assert.Contains("exactly one", Refusal(new Clause(Pronoun.I, "be", Adjective: "happy", Complement: new("in", The("house")))));
}
