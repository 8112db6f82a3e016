using System.Text.Json;
using EncDec.Cli;
using EncDec.Kernels;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec bench gemm</c>, run in-process on a tiny size.</summary>
[Collection(nameof(GemmSerialCollection))]   // it sets the process-wide thread count while it runs
public class BenchGemmCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Json_PrintsOneObjectPerSize_WithTheDocumentedFields()
    {
        int threadsBefore = Parallelism.ThreadCount;
        var (code, output, error) = Run("bench", "gemm", "--json", "--sizes", "64,8x16x32", "--threads", "1", "--repeat", "1", "--min-time", "0.01");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(threadsBefore, Parallelism.ThreadCount);   // restored
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(64, root.GetProperty("m").GetInt32());
        Assert.Equal(64, root.GetProperty("n").GetInt32());
        Assert.Equal(64, root.GetProperty("k").GetInt32());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.True(root.GetProperty("gflops").GetDouble() > 0);
        bool blas = root.TryGetProperty("openblas_gflops", out var blasGflops);
        Assert.Equal(blas, root.TryGetProperty("ratio", out var ratio));
        if (blas)
        {
            Assert.True(blasGflops.GetDouble() > 0);
            Assert.Equal(root.GetProperty("gflops").GetDouble() / blasGflops.GetDouble(), ratio.GetDouble(), 0.01);
        }
        else
        {
            Assert.Contains("OpenBLAS not found", error);
        }
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal((8, 16, 32), (second.RootElement.GetProperty("m").GetInt32(),
            second.RootElement.GetProperty("n").GetInt32(), second.RootElement.GetProperty("k").GetInt32()));
    }

    [Fact]
    public void Table_HasAHeaderAndOneRowPerSize()
    {
        var (code, output, _) = Run("bench", "gemm", "--sizes", "32", "--threads", "1", "--repeat", "1", "--min-time", "0.01");
        Assert.Equal(ExitCodes.Success, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("GFLOP/s", lines[1]);
        Assert.StartsWith("32", lines[2].Trim());
    }

    [Theory]
    [InlineData("bench", "gemm", "--sizes", "12x")]
    [InlineData("bench", "gemm", "--threads", "0")]
    [InlineData("bench", "gemm", "--vector-width", "128")]
    [InlineData("bench", "gemm", "--frobnicate")]
    [InlineData("bench")]
    public void UsageErrors_ExitWith1_AndOneLine(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("encdec: ", error);
    }
}
