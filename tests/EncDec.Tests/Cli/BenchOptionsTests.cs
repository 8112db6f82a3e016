using System.CommandLine;
using EncDec.Cli.Bench;
using EncDec.Models;

namespace EncDec.Tests.Cli;

/// <summary><c>--compute-type</c>, shared by <c>translate</c> and the benchmarks: the two names in any case, and
/// anything else an error that lists them.</summary>
public class BenchOptionsTests
{
    private static ParseResult Parse(params string[] args)
    {
        var command = new RootCommand { BenchOptions.ComputeType() };
        return command.Parse(args);
    }

    [Theory]
    [InlineData(new string[0], InferencePrecision.Float32)]
    [InlineData(new[] { "--compute-type", "float32" }, InferencePrecision.Float32)]
    [InlineData(new[] { "--compute-type", "INT8" }, InferencePrecision.Int8)]
    public void ComputeType_AcceptsItsTwoNames(string[] args, InferencePrecision expected)
    {
        var parse = Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal(expected, parse.GetValue<InferencePrecision>("--compute-type"));
    }

    [Theory]
    [InlineData("int4")]
    [InlineData("1")]
    public void ComputeType_RejectsAnythingElse_ListingTheNames(string value)
    {
        var error = Assert.Single(Parse("--compute-type", value).Errors);
        Assert.Equal($"--compute-type '{value}' is not float32 or int8", error.Message);
    }
}
