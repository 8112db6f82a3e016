using System.Text;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// Building vocabularies from counts: specials first, reserved tokens next, corpus tokens by frequency with ties in
/// ordinal order, T5's sentinels last in descending order; minimum frequency and maximum size.
/// </summary>
public class VocabularyBuilderTests
{
    private static TokenCounts Counts(params (string Token, long Count)[] entries)
    {
        var counts = new TokenCounts();
        foreach (var (token, count) in entries) counts.Add(token, count);
        return counts;
    }

    [Fact]
    public void Layout_IsSpecialsReservedCorpusThenSentinels()
    {
        var counts = Counts(("dog", 5), ("a", 9), ("cat", 5), ("runs", 1));
        var vocabulary = VocabularyBuilder.FromCounts(counts, VocabularyKind.Word,
            new VocabularyOptions(ReservedTokens: ["<2fr>", "<2de>"], SentinelCount: 3));
        Assert.Equal(
            ["<pad>", "<s>", "</s>", "<unk>", "<2fr>", "<2de>", "a", "cat", "dog", "runs", "<extra_id_2>", "<extra_id_1>", "<extra_id_0>"],
            vocabulary.Tokens);
        Assert.Equal(12, vocabulary.SentinelId(0));      // the last id, as <extra_id_0> is 32099 in T5's 32,100
        Assert.Equal(10, vocabulary.SentinelId(2));
        Assert.Equal(-1, vocabulary.SentinelId(3));
    }

    [Fact]
    public void Ties_AreBrokenByOrdinalStringOrder()
    {
        // Ordinal: uppercase before lowercase, "é" (U+00E9) after every ASCII letter.
        var counts = Counts(("b", 2), ("é", 2), ("B", 2), ("a", 2), ("z", 3));
        var vocabulary = VocabularyBuilder.FromCounts(counts, VocabularyKind.Word, new VocabularyOptions(SpecialTokens.None));
        Assert.Equal(["z", "B", "a", "b", "é"], vocabulary.Tokens);
    }

    [Fact]
    public void MinFrequency_LeavesOutRareTokens()
    {
        var counts = Counts(("a", 3), ("b", 2), ("c", 1));
        var vocabulary = VocabularyBuilder.FromCounts(counts, VocabularyKind.Word, new VocabularyOptions(SpecialTokens.None, MinFrequency: 2));
        Assert.Equal(["a", "b"], vocabulary.Tokens);
    }

    [Fact]
    public void MaxSize_CountsEveryId_AndKeepsTheMostFrequent()
    {
        var counts = Counts(("a", 3), ("b", 2), ("c", 2), ("d", 1));
        var vocabulary = VocabularyBuilder.FromCounts(counts, VocabularyKind.Word, new VocabularyOptions(MaxSize: 7, SentinelCount: 1));
        Assert.Equal(["<pad>", "<s>", "</s>", "<unk>", "a", "b", "<extra_id_0>"], vocabulary.Tokens);
        Assert.Throws<ArgumentException>(() =>
            VocabularyBuilder.FromCounts(counts, VocabularyKind.Word, new VocabularyOptions(MaxSize: 4, SentinelCount: 1)));
    }

    [Fact]
    public void CorpusTokensThatAreSpecial_AreNotRepeated()
    {
        var vocabulary = VocabularyBuilder.Words(["<unk> a <2fr> a <extra_id_0>"],
            new VocabularyOptions(ReservedTokens: ["<2fr>"], SentinelCount: 1));
        Assert.Equal(["<pad>", "<s>", "</s>", "<unk>", "<2fr>", "a", "<extra_id_0>"], vocabulary.Tokens);
        var error = Assert.Throws<ArgumentException>(() =>
            VocabularyBuilder.Words([], new VocabularyOptions(ReservedTokens: ["<unk>"])));
        Assert.Contains("\"<unk>\" is given twice", error.Message);
    }

    [Fact]
    public void Characters_CountsCodePointsAndSpaces()
    {
        var vocabulary = VocabularyBuilder.Characters(["abba", "a b😀"], new VocabularyOptions(SpecialTokens.T5));
        Assert.Equal(["<pad>", "</s>", "<unk>", "a", "b", " ", "😀"], vocabulary.Tokens);
        Assert.Equal(VocabularyKind.Character, vocabulary.Kind);
        Assert.Equal("a b😀", vocabulary.Decode(vocabulary.Encode("a b😀")));
    }

    [Fact]
    public void SameCountsInAnotherOrder_GiveTheSameVocabulary()
    {
        string[] lines = ["the cat sat", "on the mat", "a cat and a dog", "the dog"];
        var forward = VocabularyBuilder.Words(lines);
        var backward = VocabularyBuilder.Words(lines.Reverse());
        Assert.Equal(forward.Tokens, backward.Tokens);
    }

    [SharedDataFact("multi30k/train.en.gz")]
    public void Multi30kEnglish_WordVocabulary_HasTheCountsOfAnIndependentCount()
    {
        // Python's collections.Counter over str.split() of the 29,000 lines: 15,456 distinct words, 7,960 seen at
        // least twice; most frequent "a" 31,704, "A" 17,457, "in" 14,830, "the" 9,922.
        var lines = SentencePieceCli.ReadGzipLines("multi30k/train.en.gz").Select(Encoding.UTF8.GetString).ToList();
        var counts = new TokenCounts();
        foreach (string line in lines) counts.AddText(line, VocabularyKind.Word);
        Assert.Equal(15456, counts.Count);
        Assert.Equal(31704, counts["a"]);

        var vocabulary = VocabularyBuilder.FromCounts(counts, VocabularyKind.Word, new VocabularyOptions(MinFrequency: 2));
        Assert.Equal(4 + 7960, vocabulary.VocabularySize);
        Assert.Equal(["a", "A", "in", "the"], vocabulary.Tokens.Skip(4).Take(4));

        // Lines whose words are all known come back with single spaces; the others hold <unk>.
        foreach (string line in lines.Take(2000))
        {
            string decoded = vocabulary.Decode(vocabulary.Encode(line));
            bool allKnown = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(vocabulary.Contains);
            if (allKnown) Assert.Equal(string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)), decoded);
            else Assert.Contains("<unk>", decoded);
        }
    }

    [SharedDataFact("multi30k/train.de.gz")]
    public void Multi30kGerman_CharacterVocabulary_RoundTripsValidationLines()
    {
        var train = SentencePieceCli.ReadGzipLines("multi30k/train.de.gz").Select(Encoding.UTF8.GetString);
        var vocabulary = VocabularyBuilder.Characters(train);
        Assert.Equal(4 + 99, vocabulary.VocabularySize);   // Python: 99 distinct characters in train.de
        Assert.Equal(" ", vocabulary.IdToPiece(4));        // the most frequent character, then "e"
        Assert.Equal("e", vocabulary.IdToPiece(5));
        int exact = 0;
        foreach (string line in SentencePieceCli.ReadGzipLines("multi30k/val.de.gz").Select(Encoding.UTF8.GetString))
        {
            string decoded = vocabulary.Decode(vocabulary.Encode(line));
            if (decoded == line) exact++;
            else Assert.Contains("<unk>", decoded);
        }
        Assert.InRange(exact, 1000, 1014);
    }
}
