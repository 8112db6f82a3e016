using System.CommandLine;
using System.Text.Json;
using EncDec.Cli;
using EncDec.Cli.Bench;
using EncDec.Kernels;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Cli;

/// <summary>
/// <c>encdec bench train</c> and <c>encdec bench generate</c>: help and option validation through the real CLI, and
/// runs of the same commands over a small workload (the fixed one takes seconds per step on two cores).
/// </summary>
[Collection(nameof(GemmSerialCollection))]   // the runs set the process-wide thread count
public class BenchTransformerCommandTests
{
    private static readonly TransformerWorkload Small = new(Vocabulary: 50, DModel: 16, Heads: 2, FfnDim: 32, Layers: 1,
        Batch: 4, SourceLength: 6, TargetLength: 5);

    private static (int Code, string Output, string Error) RunCli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EncDecCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static (int Code, string Output) RunSmall(Command command, params string[] args)
    {
        var output = new StringWriter();
        var parse = new RootCommand { command }.Parse(args);
        Assert.Empty(parse.Errors);
        int code = parse.Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter(), EnableDefaultExceptionHandler = false });
        return (code, output.ToString());
    }

    [Fact]
    public void BenchHelp_ListsTrainGenerateAndPeak()
    {
        var (code, output, _) = RunCli("bench", "--help");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("train ", output);
        Assert.Contains("generate", output);
        Assert.Contains("peak", output);
    }

    [Theory]
    [InlineData("train", "--steps")]
    [InlineData("train", "--warmup")]
    [InlineData("generate", "--repeat")]
    public void Help_NamesTheOptions(string benchmark, string option)
    {
        var (code, output, _) = RunCli("bench", benchmark, "--help");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("--json", output);
        Assert.Contains("--threads", output);
        Assert.Contains(option, output);
    }

    [Theory]
    [InlineData("train", "--threads", "0")]
    [InlineData("generate", "--threads", "-2")]
    [InlineData("train", "--steps", "0")]
    [InlineData("generate", "--repeat", "0")]
    public void NonPositiveCounts_AreUsageErrors(string benchmark, string option, string value)
    {
        var (code, output, error) = RunCli("bench", benchmark, option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(option, error);
        Assert.Equal("", output);
    }

    [Fact]
    public void TrainJson_HasPositiveThroughput_AndTheLossFalls()
    {
        int threadsBefore = Parallelism.ThreadCount;
        var (code, output) = RunSmall(TransformerTrainBenchmark.CreateCommand(Small), "train", "--json", "--steps", "4", "--warmup", "1", "--threads", "2");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(threadsBefore, Parallelism.ThreadCount);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, root.GetProperty("threads").GetInt32());
        Assert.Equal(4, root.GetProperty("steps").GetInt32());
        foreach (string field in new[] { "train_target_tokens_per_s", "best_step_s", "median_step_s", "parameters" })
            Assert.True(root.GetProperty(field).GetDouble() > 0, field);
        Assert.True(root.GetProperty("best_step_s").GetDouble() <= root.GetProperty("median_step_s").GetDouble());
        double tokens = Small.Batch * Small.TargetLength;
        Assert.Equal(tokens / root.GetProperty("median_step_s").GetDouble(), root.GetProperty("train_target_tokens_per_s").GetDouble(), 1e-6);
        Assert.True(root.GetProperty("bytes_per_step").GetDouble() >= 0);
        Assert.True(root.GetProperty("cpu_s_per_step").GetDouble() >= 0);   // may round to 0 for so small a model
        Assert.True(root.GetProperty("last_loss").GetDouble() < root.GetProperty("first_loss").GetDouble(), "the same batch every step must be learned");
        double gflop = WorkloadArithmetic.TrainStep(Small) / 1e9;
        Assert.Equal(gflop, root.GetProperty("gflop_per_step").GetDouble(), 12);
        Assert.Equal(gflop / root.GetProperty("median_step_s").GetDouble(), root.GetProperty("train_gflops").GetDouble(), 1e-9);
    }

    [Fact]
    public void GenerateJson_HasPositiveGreedyAndBeamThroughput()
    {
        var (code, output) = RunSmall(GenerationBenchmark.CreateCommand(Small), "generate", "--json", "--repeat", "2", "--threads", "1");

        Assert.Equal(ExitCodes.Success, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal(2, root.GetProperty("repeat").GetInt32());
        foreach (string field in new[] { "greedy_tokens_per_s", "beam4_tokens_per_s", "greedy_median_s", "beam4_median_s" })
            Assert.True(root.GetProperty(field).GetDouble() > 0, field);
        Assert.True(root.GetProperty("greedy_cpu_s").GetDouble() >= 0 && root.GetProperty("beam4_cpu_s").GetDouble() >= 0);
        double tokens = Small.Batch * Small.TargetLength;
        Assert.Equal(tokens / root.GetProperty("beam4_median_s").GetDouble(), root.GetProperty("beam4_tokens_per_s").GetDouble(), 1e-6);
        double gflop = WorkloadArithmetic.Greedy(Small).Total / 1e9;
        Assert.Equal(gflop, root.GetProperty("greedy_gflop").GetDouble(), 12);
        Assert.Equal(gflop / root.GetProperty("greedy_median_s").GetDouble(), root.GetProperty("greedy_gflops").GetDouble(), 1e-9);
    }

    [Fact]
    public void Tables_NameTheFigures()
    {
        var (trainCode, train) = RunSmall(TransformerTrainBenchmark.CreateCommand(Small), "train", "--steps", "1", "--warmup", "1", "--threads", "1");
        var (generateCode, generate) = RunSmall(GenerationBenchmark.CreateCommand(Small), "generate", "--repeat", "1", "--threads", "1");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (trainCode, generateCode));
        Assert.Contains("train target tokens/s", train);
        Assert.Contains("greedy", generate);
        Assert.Contains("beam 4", generate);
        Assert.Contains("GFLOP per step", train);
        Assert.Contains("GFLOP per decoding", generate);
    }

    [Fact]
    public void SearchThatEmitsTheWrongShape_IsReported()
    {
        GenerationBenchmark.SearchFunction shortSearch = (model, source, mask, length) =>
            GenerationBenchmark.GreedySearch(model, source, mask, length - 1);
        var error = Assert.Throws<InvalidOperationException>(() => GenerationBenchmark.Measure(Small, 1, 1, greedy: shortSearch));
        Assert.Contains("(4, 4)", error.Message);
    }

    [Fact]
    public void Median_IsTheMiddleTiming_OrTheMeanOfTheTwoMiddleOnes()
    {
        Assert.Equal(new TimingSummary(1, 3, 3), TimingSummary.From(new double[] { 3, 1, 9 }));
        Assert.Equal(new TimingSummary(1, 2.5, 4), TimingSummary.From(new double[] { 4, 2, 1, 3 }));
        Assert.Throws<ArgumentException>(() => TimingSummary.From(Span<double>.Empty));
    }

    [Fact]
    public void DefaultWorkload_IsTheIssuesTransformer()
    {
        var config = new TransformerWorkload().CreateConfig();
        var t = config.Transformer!;
        Assert.Equal((8000, 8000, 256, 4, 1024, 3, 3), (config.SourceVocabulary, config.TargetVocabulary, t.DModel, t.Heads, t.FfnDim, t.EncoderLayers, t.DecoderLayers));
        Assert.Equal((0f, false, true, true), (t.Dropout, t.PreNorm, t.TieOutputToEmbedding, config.TieSourceTargetEmbeddings));
        Assert.Equal((64, 30, 30), (new TransformerWorkload().Batch, new TransformerWorkload().SourceLength, new TransformerWorkload().TargetLength));
    }
}
