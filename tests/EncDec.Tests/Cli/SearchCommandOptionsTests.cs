using System.CommandLine;
using System.Text;
using EncDec.Cli;
using EncDec.Cli.Commands;
using EncDec.Generation;
using EncDec.Tests.Generation;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec translate</c>'s search options: each flag lands in its <see cref="SearchOptions"/> field, and the
/// options given as text are tokenized with the model's target vocabulary or rejected with a message naming them.</summary>
public sealed class SearchCommandOptionsTests
{
    private static (SearchCommandOptions Options, ParseResult Parse) Parse(params string[] args)
    {
        var options = new SearchCommandOptions();
        var command = new RootCommand();
        foreach (var option in options.All) command.Options.Add(option);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return (options, parse);
    }

    private static SearchOptions Build(params string[] args)
    {
        var (options, parse) = Parse(args);
        return options.Build(parse, returnAttention: false);
    }

    [Fact]
    public void NoFlags_GiveGreedySearch()
    {
        var search = Build();
        var greedy = SearchOptions.Greedy;
        Assert.Equal((greedy.BeamSize, greedy.NBest, greedy.MinLength, greedy.MaxLength, greedy.MaxLengthRatio, greedy.LengthPenaltyKind),
            (search.BeamSize, search.NBest, search.MinLength, search.MaxLength, search.MaxLengthRatio, search.LengthPenaltyKind));
        Assert.Equal((greedy.EarlyStopping, greedy.NoRepeatNgramSize, greedy.RepetitionPenalty, greedy.Sampling, greedy.EndId),
            (search.EarlyStopping, search.NoRepeatNgramSize, search.RepetitionPenalty, search.Sampling, search.EndId));
        Assert.Null(search.TargetPrefix);
        Assert.Empty(search.SuppressedSequences);
    }

    [Fact]
    public void SearchFlags_MapOntoTheirFields()
    {
        var search = Build("--beam", "5", "--nbest", "3", "--min-length", "2", "--max-length", "40", "--max-length-ratio", "1.5",
            "--max-length-offset", "4", "--length-penalty", "0.6", "--length-penalty-form", "gnmt", "--coverage-penalty", "0.2",
            "--early-stopping", "exact", "--no-repeat-ngram-size", "3", "--repetition-penalty", "1.2", "--replace-unknown");

        Assert.Equal((5, 3, 2, 40), (search.BeamSize, search.NBest, search.MinLength, search.MaxLength));
        Assert.Equal((1.5f, 4), (search.MaxLengthRatio, search.MaxLengthOffset));
        Assert.Equal((LengthPenaltyKind.Gnmt, 0.6f, 0.2f), (search.LengthPenaltyKind, search.LengthPenalty, search.CoveragePenalty));
        Assert.Equal((EarlyStopping.Exact, 3, 1.2f, true), (search.EarlyStopping, search.NoRepeatNgramSize, search.RepetitionPenalty, search.ReplaceUnknown));
    }

    [Theory]
    [InlineData(new string[0], LengthPenaltyKind.None, 1f)]
    [InlineData(new[] { "--length-penalty", "0.8" }, LengthPenaltyKind.Average, 0.8f)]
    [InlineData(new[] { "--length-penalty-form", "gnmt" }, LengthPenaltyKind.Gnmt, 1f)]
    [InlineData(new[] { "--length-penalty-form", "average" }, LengthPenaltyKind.Average, 1f)]
    public void LengthPenalty_IsOffUnlessAskedFor(string[] args, LengthPenaltyKind kind, float alpha)
    {
        var search = Build(args);
        Assert.Equal((kind, alpha), (search.LengthPenaltyKind, search.LengthPenalty));
    }

    [Theory]
    [InlineData("beam-full", EarlyStopping.BeamFull)]
    [InlineData("heuristic", EarlyStopping.Heuristic)]
    [InlineData("exact", EarlyStopping.Exact)]
    public void EarlyStopping_NamesEachChoice(string name, EarlyStopping expected) =>
        Assert.Equal(expected, Build("--early-stopping", name).EarlyStopping);

    [Fact]
    public void Sampling_TakesNBestAsTheSampleCount()
    {
        var search = Build("--sample", "--nbest", "3", "--top-k", "5", "--top-p", "0.9", "--temperature", "0.7", "--seed", "9");
        Assert.Equal((true, 1, 3), (search.Sampling, search.NBest, search.NumSamples));
        Assert.Equal((5, 0.9f, 0.7f, 9L), (search.TopK, search.TopP, search.Temperature, search.Seed));
    }

    /// <summary>Invalid values, and sampling settings without --sample, are reported in the flags the user typed.</summary>
    [Theory]
    [InlineData(new[] { "--min-length", "10", "--max-length", "5" }, "--max-length 5 must be at least 1 and at least --min-length 10")]
    [InlineData(new[] { "--beam", "2", "--nbest", "3" }, "--nbest 3 must be in [1, --beam 2]")]
    [InlineData(new[] { "--sample", "--top-p", "0" }, "--top-p 0 must be in (0, 1]")]
    [InlineData(new[] { "--sample", "--beam", "2" }, "--sample needs --beam 1, got 2")]
    [InlineData(new[] { "--max-length-ratio", "-1" }, "--max-length-ratio -1 must be finite and not negative")]
    [InlineData(new[] { "--repetition-penalty", "0" }, "--repetition-penalty 0 must be positive")]
    [InlineData(new[] { "--top-k", "5" }, "--top-k applies only with --sample")]
    [InlineData(new[] { "--temperature", "0.5", "--seed", "3" }, "--temperature and --seed apply only with --sample")]
    public void BadSearchFlags_AreReported_InTheFlagsTyped(string[] args, string message)
    {
        var (options, parse) = Parse(args);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => options.Build(parse, false)).Message);
    }

    [Fact]
    public void TextOptions_AreTokenizedWithTheTargetVocabulary()
    {
        var model = TranslatorKit.Word();
        var (options, parse) = Parse("--target-prefix", "a b", "--suppress", "c", "--suppress", "d e", "--end-token", "f");
        var search = options.WithText(options.Build(parse, returnAttention: false), parse, model);

        var vocabulary = model.TargetTokenizer;
        Assert.Equal(vocabulary.Encode("a b"), search.TargetPrefix);
        Assert.Equal([vocabulary.Encode("c"), vocabulary.Encode("d e")], search.SuppressedSequences);
        Assert.Equal(vocabulary.PieceToId("f"), search.EndId);
    }

    [Theory]
    [InlineData("--end-token", "zzz", "zzz")]
    [InlineData("--target-prefix", "", "gives no target tokens")]
    [InlineData("--target-prefix", "a </s>", "contains the end token")]
    [InlineData("--suppress", " ", "gives no target tokens")]
    public void BadTextOptions_AreUsageErrors_NamingTheValue(string option, string value, string message)
    {
        var (options, parse) = Parse(option, value);
        var error = Assert.Throws<CliUsageException>(() => options.WithText(options.Build(parse, false), parse, TranslatorKit.Word()));
        Assert.Contains(option, error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TargetPrefix_StartsEveryTranslation()
    {
        var model = TranslatorKit.Word();
        var (options, parse) = Parse("--beam", "2", "--target-prefix", "g a", "--max-length", "6");
        var search = options.WithText(options.Build(parse, false), parse, model);
        var output = new StringWriter();
        TranslateCommand.Run(model, new MemoryStream(Encoding.UTF8.GetBytes("a b c\nd\ne f\n")), output, TextWriter.Null, search,
            new TranslatorOptions(), json: false);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("g a", line));
    }
}
