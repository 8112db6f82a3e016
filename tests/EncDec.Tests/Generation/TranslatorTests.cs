using EncDec.Generation;

namespace EncDec.Tests.Generation;

/// <summary>The text-level <see cref="Translator"/>: order, batching, empty and over-long lines, unknown replacement, streaming.</summary>
public class TranslatorTests
{
    private static readonly string[] Lines = ["a b c d e f g", "b", "c d", "", "g f e d", "a", "   ", "e e e e e", "d c"];

    private static readonly SearchOptions Search = new(BeamSize: 2, MinLength: 1, MaxLength: 6) { SuppressedSequences = [[0], [1]] };

    [Fact]
    public void Results_ComeBackInInputOrder_AndEqualTranslatingEachLineAlone()
    {
        var model = TranslatorKit.Word();
        var batched = new Translator(model, Search, new TranslatorOptions(MaxBatchTokens: 12, MaxBatchSentences: 3)).Translate(Lines).ToList();
        var alone = new Translator(model, Search);

        Assert.Equal(Enumerable.Range(1, Lines.Length).Select(i => (long)i), batched.Select(r => r.LineNumber));
        Assert.Equal(Lines, batched.Select(r => r.Source));
        for (int i = 0; i < Lines.Length; i++)
        {
            var single = alone.TranslateBatch([Lines[i]])[0];
            Assert.Equal(single.Text, batched[i].Text);
            Assert.Equal(single.Hypotheses.Select(h => h.Search.Tokens), batched[i].Hypotheses.Select(h => h.Search.Tokens));
        }
        Assert.Contains(batched, r => r.Text.Length > 0);
    }

    [Fact]
    public void EmptyLine_GivesEmptyOutput_WithoutRunningTheModel()
    {
        var results = new Translator(TranslatorKit.Word(), Search).TranslateBatch(["", "   ", "a"]);
        Assert.All(results.Take(2), r =>
        {
            Assert.Equal("", r.Text);
            Assert.Empty(r.Hypotheses);
            Assert.Empty(r.SourceIds);
        });
        Assert.NotEmpty(results[2].Hypotheses);
    }

    [Fact]
    public void TargetPrefixes_StartTheirOwnLine_AndEqualSearchingWithThatPrefix()
    {
        var model = TranslatorKit.Word();
        var translator = new Translator(model, Search, new TranslatorOptions(MaxBatchSentences: 2));
        string[] lines = ["a b c", "d", "", "e f", "g"];
        string?[] prefixes = ["g g", null, "a", "b", ""];
        var results = translator.TranslateBatch(lines, prefixes, firstLineNumber: 7);

        Assert.Equal([7L, 8, 9, 10, 11], results.Select(r => r.LineNumber));
        Assert.Empty(results[2].Hypotheses);   // an empty line stays empty, prefix or not
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var prefix = string.IsNullOrEmpty(prefixes[i]) ? null : model.TargetTokenizer.Encode(prefixes[i]!);
            var expected = new Translator(model, Search with { TargetPrefix = prefix }).TranslateBatch([lines[i]])[0];
            Assert.Equal(expected.Hypotheses[0].Search.Tokens, results[i].Hypotheses[0].Search.Tokens);
            if (prefix is not null) Assert.Equal(prefix, results[i].Hypotheses[0].Search.Tokens.Take(prefix.Length));
        }
    }

    [Fact]
    public void TargetPrefix_HoldingTheEndToken_IsRejectedNamingItsLine()
    {
        var translator = new Translator(TranslatorKit.Word(), Search);
        var error = Assert.Throws<InputLineException>(() => translator.TranslateBatch(["a", "b"], [null, "c </s>"], firstLineNumber: 3));
        Assert.StartsWith("line 4:", error.Message);
        Assert.Equal(4, error.LineNumber);
        Assert.Throws<ArgumentException>(() => translator.TranslateBatch(["a", "b"], ["c"]));
    }

    [Fact]
    public void OverlongLine_IsTruncatedWithAWarning_OrRejectedNamingTheLine()
    {
        var model = TranslatorKit.Word();
        var warnings = new List<string>();
        var results = new Translator(model, Search, new TranslatorOptions(MaxSourceLength: 4), warnings.Add).TranslateBatch(["a b", "a b c d e f"]);

        Assert.False(results[0].Truncated);
        Assert.True(results[1].Truncated);
        Assert.Equal([4, 5, 6, 2], results[1].SourceIds);   // three words, then the end id
        Assert.Contains("line 2", Assert.Single(warnings));

        var reject = new Translator(model, Search, new TranslatorOptions(MaxSourceLength: 4, RejectOverlong: true));
        var error = Assert.Throws<InputLineException>(() => reject.TranslateBatch(["a b", "a b c d e f"]));
        Assert.StartsWith("line 2:", error.Message);
        Assert.Equal(2, error.LineNumber);
    }

    [Fact]
    public void Translate_YieldsEveryLineBeforeARejectedOne_ThenThrows()
    {
        var model = TranslatorKit.Word();
        // Windows of three lines: the rejected line 5 comes while line 4 waits in the second window, and line 4 must still come out.
        var reject = new Translator(model, Search, new TranslatorOptions(MaxSourceLength: 4, MaxBatchSentences: 3, RejectOverlong: true));
        string[] lines = ["a b", "c", "d e", "f", "a b c d e f", "g"];
        var yielded = new List<TranslationResult>();

        var error = Assert.Throws<InputLineException>(() => { foreach (var result in reject.Translate(lines)) yielded.Add(result); });

        Assert.Equal(5, error.LineNumber);
        Assert.Equal([1L, 2, 3, 4], yielded.Select(r => r.LineNumber));
        Assert.Equal(new Translator(model, Search).TranslateBatch(lines[..4]).Select(r => r.Text), yielded.Select(r => r.Text));
    }

    [Fact]
    public void Translate_ReadsOnlyOneBatchWindowAhead()
    {
        int pulled = 0;
        IEnumerable<string> Source()
        {
            foreach (string line in Lines.Where(l => l.Trim().Length > 0))
            {
                pulled++;
                yield return line;
            }
        }
        var translator = new Translator(TranslatorKit.Word(), Search, new TranslatorOptions(MaxBatchSentences: 2));
        using var results = translator.Translate(Source()).GetEnumerator();
        Assert.True(results.MoveNext());
        Assert.Equal(2, pulled);
    }

    [Fact]
    public void ReplaceUnknown_PutsTheMostAttendedSourceWordInPlaceOfUnk()
    {
        // A forced unknown first token; the source's first word is itself unknown to the vocabulary.
        var search = new SearchOptions(MaxLength: 3, ReplaceUnknown: true) { TargetPrefix = [3] };
        var result = new Translator(TranslatorKit.Word(), search).TranslateBatch(["Zebra b c"])[0];
        var best = result.Hypotheses[0];
        string[] sourceWords = ["Zebra", "b", "c"];
        int attended = Array.IndexOf(best.Search.Attention![0], best.Search.Attention[0].Take(3).Max());

        Assert.Equal(3, best.Search.Tokens[0]);
        Assert.StartsWith(sourceWords[attended], best.Text);
        Assert.DoesNotContain("<unk>", best.Text);
    }
}
