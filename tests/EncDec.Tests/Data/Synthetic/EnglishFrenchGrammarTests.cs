using EncDec.Data.Synthetic;
using static EncDec.Data.Synthetic.NounPhrase;

namespace EncDec.Tests.Data.Synthetic;

/// <summary>
/// Hand-checked translations of clauses built through the structured API: each case names the French rule it pins
/// down. Expected French written from the rules of Grevisse, "Le Bon Usage" (agreement, elision, contraction, position
/// of adjectives, de after negation).
/// </summary>
public sealed class EnglishFrenchGrammarTests
{
    private static void AssertPair(Clause clause, string english, string french)
    {
        var pair = EnglishFrenchGrammar.Render(clause);
        Assert.Equal(english, pair.Source);
        Assert.Equal(french, pair.Target);
    }

    [Fact]
    public void PostNominalAdjective_FollowsTheNoun_AndNegationWrapsTheVerb() =>
        AssertPair(new Clause(The("cat"), "eat", Negated: true, Object: The("apple", "red")),
            "the cat does not eat the red apple .", "le chat ne mange pas la pomme rouge .");

    [Fact]
    public void PreNominalAdjective_StaysBeforeTheNoun_ColourAfter() =>
        AssertPair(new Clause(The("car", "red", "big"), "be", Complement: new PrepositionalPhrase("in", The("garden"))),
            "the big red car is in the garden .", "la grande voiture rouge est dans le jardin .");

    [Theory]
    [InlineData("green", false, "la voiture verte")]
    [InlineData("green", true, "les voitures vertes")]
    [InlineData("white", false, "la voiture blanche")]
    [InlineData("expensive", true, "les voitures chères")]
    [InlineData("beautiful", false, "la belle voiture")]
    [InlineData("beautiful", true, "les belles voitures")]
    public void Adjectives_AgreeInGenderAndNumber(string adjective, bool plural, string french)
    {
        var car = The("car", adjective) with { Plural = plural };
        Assert.StartsWith(french + " ", EnglishFrenchGrammar.Render(new Clause(car, "be", Complement: new("in", The("street")))).Target);
    }

    [Theory]
    [InlineData("man", "old", DeterminerKind.Indefinite, "un vieil homme")]
    [InlineData("tree", "beautiful", DeterminerKind.Demonstrative, "ce bel arbre")]
    [InlineData("computer", "new", DeterminerKind.Indefinite, "un nouvel ordinateur")]
    [InlineData("tree", null, DeterminerKind.Demonstrative, "cet arbre")]
    [InlineData("hotel", null, DeterminerKind.Definite, "l'hôtel")]
    [InlineData("school", null, DeterminerKind.Possessive, "mon école")]
    [InlineData("school", "small", DeterminerKind.Possessive, "ma petite école")]
    [InlineData("tree", "big", DeterminerKind.Definite, "le grand arbre")]
    [InlineData("woman", "old", DeterminerKind.Definite, "la vieille femme")]
    public void VowelInitialNouns_TakeTheirSpecialForms(string noun, string? adjective, DeterminerKind determiner, string french)
    {
        var phrase = new NounPhrase(noun, determiner, Adjectives: adjective is null ? [] : [adjective]);
        Assert.StartsWith(french + " ", EnglishFrenchGrammar.Render(new Clause(phrase, "be", Complement: new("near", The("bridge")))).Target);
    }

    [Theory]
    [InlineData("go", "to", "market", false, "il va au marché .")]
    [InlineData("go", "to", "school", false, "il va à l'école .")]
    [InlineData("go", "to", "shop", true, "il va aux magasins .")]
    [InlineData("go", "to", "station", false, "il va à la gare .")]
    [InlineData("come", "from", "park", false, "il vient du parc .")]
    [InlineData("come", "from", "park", true, "il vient des parcs .")]
    [InlineData("come", "from", "airport", false, "il vient de l'aéroport .")]
    [InlineData("speak", "about", "film", false, "il parle du film .")]
    [InlineData("speak", "to", "teacher", true, "il parle aux professeurs .")]
    public void ADeAndTheArticle_Contract(string verb, string preposition, string noun, bool plural, string french) =>
        Assert.Equal(french, EnglishFrenchGrammar.Render(new Clause(Pronoun.He, verb, Complement: new(preposition, The(noun) with { Plural = plural }))).Target);

    [Theory]
    [InlineData("next to", "bank", "le chien est à côté de la banque .")]
    [InlineData("next to", "hotel", "le chien est à côté de l'hôtel .")]
    [InlineData("near", "tree", "le chien est près de l'arbre .")]
    [InlineData("near", "bridge", "le chien est près du pont .")]
    [InlineData("in front of", "church", "le chien est devant l'église .")]
    public void MultiWordPrepositions_ContractAndElide(string preposition, string noun, string french) =>
        Assert.Equal(french, EnglishFrenchGrammar.Render(new Clause(The("dog"), "be", Complement: new(preposition, The(noun)))).Target);

    [Fact]
    public void Negation_ElidesBeforeAVowel() =>
        AssertPair(new Clause(Pronoun.I, "like", Negated: true, Object: The("music")), "i do not like the music .", "je n'aime pas la musique .");

    [Theory]
    [InlineData("car", false, "she does not have a car .", "elle n'a pas de voiture .")]
    [InlineData("computer", false, "she does not have a computer .", "elle n'a pas d'ordinateur .")]
    [InlineData("car", true, "she does not have any cars .", "elle n'a pas de voitures .")]
    public void NegatedIndefiniteObject_TakesDe(string noun, bool plural, string english, string french) =>
        AssertPair(new Clause(Pronoun.She, "have", Negated: true, Object: A(noun) with { Plural = plural }), english, french);

    [Fact]
    public void NegatedDefiniteObject_KeepsItsArticle() =>
        AssertPair(new Clause(Pronoun.She, "have", Negated: true, Object: The("car")), "she does not have the car .", "elle n'a pas la voiture .");

    [Fact]
    public void FrenchPrepositionalObject_KeepsUnAfterNegation() =>
        AssertPair(new Clause(Pronoun.He, "enter", Tense.Past, Negated: true, Object: A("house")),
            "he did not enter a house .", "il n'est pas entré dans une maison .");

    [Fact]
    public void PluralIndefinite_BeforeAnAdjective_IsDe() =>
        AssertPair(new Clause(Pronoun.I, "see", Object: A("house", "big").ToPlural()), "i see some big houses .", "je vois de grandes maisons .");

    [Theory]
    [InlineData(Pronoun.He, Tense.Present, false, "he eats an apple .", "il mange une pomme .")]
    [InlineData(Pronoun.We, Tense.Present, false, "we eat an apple .", "nous mangeons une pomme .")]
    [InlineData(Pronoun.He, Tense.Past, false, "he ate an apple .", "il a mangé une pomme .")]
    [InlineData(Pronoun.I, Tense.Past, true, "i did not eat an apple .", "je n'ai pas mangé de pomme .")]
    [InlineData(Pronoun.He, Tense.PastProgressive, false, "he was eating an apple .", "il mangeait une pomme .")]
    [InlineData(Pronoun.We, Tense.PastProgressive, false, "we were eating an apple .", "nous mangions une pomme .")]
    [InlineData(Pronoun.They, Tense.PastProgressive, false, "they were eating an apple .", "ils mangeaient une pomme .")]
    [InlineData(Pronoun.You, Tense.Future, false, "you will eat an apple .", "vous mangerez une pomme .")]
    [InlineData(Pronoun.She, Tense.Future, true, "she will not eat an apple .", "elle ne mangera pas de pomme .")]
    public void RegularVerb_InEveryTense(Pronoun subject, Tense tense, bool negated, string english, string french) =>
        AssertPair(new Clause(subject, "eat", tense, negated, Object: A("apple")), english, french);

    [Theory]
    [InlineData("take", Pronoun.They, Tense.Present, "they take the train .", "ils prennent le train .")]
    [InlineData("take", Pronoun.They, Tense.Past, "they took the train .", "ils ont pris le train .")]
    [InlineData("see", Pronoun.I, Tense.Future, "i will see the train .", "je verrai le train .")]
    [InlineData("see", Pronoun.We, Tense.PastProgressive, "we were seeing the train .", "nous voyions le train .")]
    [InlineData("watch", Pronoun.I, Tense.Present, "i watch the train .", "je regarde le train .")]
    public void IrregularVerbs_Conjugate(string verb, Pronoun subject, Tense tense, string english, string french) =>
        AssertPair(new Clause(subject, verb, tense, Object: The("train")), english, french);

    [Theory]
    [InlineData(Tense.Present, "you make a cake .", "vous faites un gâteau .")]
    [InlineData(Tense.Past, "you made a cake .", "vous avez fait un gâteau .")]
    [InlineData(Tense.Future, "you will make a cake .", "vous ferez un gâteau .")]
    public void Faire_Conjugates(Tense tense, string english, string french) =>
        AssertPair(new Clause(Pronoun.You, "make", tense, Object: A("cake")), english, french);

    [Theory]
    [InlineData(Pronoun.I, "i went to the beach .", "je suis allé à la plage .")]
    [InlineData(Pronoun.She, "she went to the beach .", "elle est allée à la plage .")]
    [InlineData(Pronoun.We, "we went to the beach .", "nous sommes allés à la plage .")]
    public void EtreVerbs_AgreeWithTheSubject(Pronoun subject, string english, string french) =>
        AssertPair(new Clause(subject, "go", Tense.Past, Complement: new("to", The("beach"))), english, french);

    [Fact]
    public void EtreParticiple_AgreesWithAFemininePluralNounSubject() =>
        AssertPair(new Clause(The("girl").ToPlural(), "come", Tense.Past, Complement: new("from", The("market"))),
            "the girls came from the market .", "les filles sont venues du marché .");

    [Theory]
    [InlineData(Pronoun.She, Tense.Past, "she did not go to the station .", "elle n'est pas allée à la gare .")]
    [InlineData(Pronoun.I, Tense.Future, "i will not go to the station .", "je n'irai pas à la gare .")]
    [InlineData(Pronoun.I, Tense.PastProgressive, "i was not going to the station .", "je n'allais pas à la gare .")]
    public void Aller_NegatedWithElision(Pronoun subject, Tense tense, string english, string french) =>
        AssertPair(new Clause(subject, "go", tense, Negated: true, Complement: new("to", The("station"))), english, french);

    [Theory]
    [InlineData(Pronoun.I, Tense.Past, "i was happy .", "j'étais heureux .")]
    [InlineData(Pronoun.They, Tense.Past, "they were happy .", "ils étaient heureux .")]
    [InlineData(Pronoun.She, Tense.Future, "she will be happy .", "elle sera heureuse .")]
    [InlineData(Pronoun.You, Tense.Present, "you are happy .", "vous êtes heureux .")]
    public void Etre_WithAnAgreeingAdjective(Pronoun subject, Tense tense, string english, string french) =>
        AssertPair(new Clause(subject, "be", tense, Adjective: "happy"), english, french);

    [Fact]
    public void PredicateAdjective_AgreesWithAFemininePluralSubject() =>
        AssertPair(new Clause(The("woman").ToPlural(), "be", Negated: true, Adjective: "tired"),
            "the women are not tired .", "les femmes ne sont pas fatiguées .");

    [Fact]
    public void StativePast_IsImparfait() =>
        AssertPair(new Clause(Pronoun.I, "have", Tense.Past, Object: A("dog"), Adverb: "yesterday"), "i had a dog yesterday .", "j'avais un chien hier .");

    [Theory]
    [InlineData("listen to", "radio", "she listens to the radio .", "elle écoute la radio .")]
    [InlineData("look for", "key", "she looks for the keys .", "elle cherche les clés .")]
    public void EnglishParticles_DisappearInFrench(string verb, string noun, string english, string french) =>
        AssertPair(new Clause(Pronoun.She, verb, Object: The(noun) with { Plural = noun == "key" }), english, french);

    [Fact]
    public void Enter_TakesDansInFrench() =>
        AssertPair(new Clause(Pronoun.We, "enter", Tense.Past, Object: The("house")), "we entered the house .", "nous sommes entrés dans la maison .");

    [Theory]
    [InlineData(1, "apple", "one apple", "une pomme")]
    [InlineData(21, "apple", "twenty-one apples", "vingt et une pommes")]
    [InlineData(21, "cat", "twenty-one cats", "vingt et un chats")]
    [InlineData(71, "cat", "seventy-one cats", "soixante et onze chats")]
    [InlineData(80, "cat", "eighty cats", "quatre-vingts chats")]
    [InlineData(81, "apple", "eighty-one apples", "quatre-vingt-une pommes")]
    [InlineData(11, "egg", "eleven eggs", "onze œufs")]
    public void Numbers_AreWrittenOutAndAgree(int count, string noun, string english, string french)
    {
        var pair = EnglishFrenchGrammar.Render(new Clause(Pronoun.I, "have", Object: Counted(count, noun)));
        Assert.Equal($"i have {english} .", pair.Source);
        Assert.Equal($"j'ai {french} .", pair.Target);
    }

    [Theory]
    [InlineData(11, "near eleven trees .", "près de onze arbres .")]
    [InlineData(8, "near eight trees .", "près de huit arbres .")]
    [InlineData(1, "near one tree .", "près d'un arbre .")]
    public void OnzeAndHuit_BlockElision(int count, string english, string french) =>
        AssertPair(new Clause(The("dog"), "be", Complement: new("near", Counted(count, "tree"))), "the dog is " + english, "le chien est " + french);

    [Theory]
    [InlineData("horse", "les chevaux")]
    [InlineData("newspaper", "les journaux")]
    [InlineData("hospital", "les hôpitaux")]
    [InlineData("mouse", "les souris")]
    public void IrregularPlurals(string noun, string french) =>
        Assert.StartsWith(french + " ", EnglishFrenchGrammar.Render(new Clause(The(noun).ToPlural(), "be", Complement: new("near", The("wall")))).Target);

    [Theory]
    [InlineData(Possessor.His, "sister", "sa", "his")]
    [InlineData(Possessor.Her, "brother", "son", "her")]
    [InlineData(Possessor.Her, "sister", "sa", "her")]
    [InlineData(Possessor.Their, "sister", "leur", "their")]
    [InlineData(Possessor.Your, "sister", "votre", "your")]
    public void Possessives_AgreeWithTheNounNotTheOwner(Possessor possessor, string noun, string french, string english)
    {
        var pair = EnglishFrenchGrammar.Render(new Clause(Pronoun.I, "help", Object: Of(possessor, noun)));
        Assert.Equal($"i help {english} {noun} .", pair.Source);
        Assert.StartsWith($"j'aide {french} ", pair.Target);
    }

    [Fact]
    public void Recipient_ContractsWithA() =>
        AssertPair(new Clause(The("girl"), "give", Tense.Future, Object: A("gift", "beautiful"), Complement: new("to", The("boy").ToPlural())),
            "the girl will give a beautiful gift to the boys .", "la fille donnera un beau cadeau aux garçons .");
}
