using System.Text.Json;
using EncDec.Cli;
using EncDec.Cli.Bench;
using EncDec.Kernels;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec bench peak</c>: the operation count of its loops, every SIMD path, and the CLI's output.</summary>
[Collection(nameof(GemmSerialCollection))]   // the runs set the process-wide thread count
public class BenchPeakCommandTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Measure_CountsTwelveChainsOfVectorFmas_OnEveryThread(int threads)
    {
        foreach (var level in SimdPath.Available)
        {
            using var _ = SimdPath.Force(level);
            var result = PeakBenchmark.Measure(threads, repeat: 3, iterations: 10_000);

            Assert.Equal(level, result.Simd);
            Assert.Equal(threads, result.Threads);
            Assert.Equal(3, result.Seconds.Count);
            Assert.Equal((double)threads * 10_000 * 12 * PeakBenchmark.LanesOf(level) * 2, result.Operations);
            Assert.True(result.PeakGflops >= result.MedianGflops && result.MedianGflops > 0, $"{level}: {result}");
        }
    }

    [Fact]
    public void LanesOf_IsTheVectorWidthInFloats()
    {
        Assert.Equal((1, 8, 16), (PeakBenchmark.LanesOf(SimdLevel.Scalar), PeakBenchmark.LanesOf(SimdLevel.Avx2),
            PeakBenchmark.LanesOf(SimdLevel.Avx512)));
    }

    [Fact]
    public void Measure_RejectsNonPositiveCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PeakBenchmark.Measure(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PeakBenchmark.Measure(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PeakBenchmark.Measure(1, 1, iterations: 0));
    }

    [Fact]
    public void Json_ReportsThePeakOfTheFastestRun()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EncDecCli.Run(new[] { "bench", "peak", "--json", "--threads", "1", "--repeat", "2" }, output, error);

        Assert.Equal(ExitCodes.Success, code);
        var root = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("peak", root.GetProperty("benchmark").GetString());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal(2, root.GetProperty("repeat").GetInt32());
        Assert.Equal(SimdPath.Current.ToString().ToLowerInvariant(), root.GetProperty("simd").GetString());
        Assert.True(root.GetProperty("peak_gflops").GetDouble() >= root.GetProperty("median_gflops").GetDouble());
        Assert.True(root.GetProperty("median_gflops").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--threads", "0")]
    [InlineData("--repeat", "-1")]
    public void NonPositiveCounts_AreUsageErrors(string option, string value)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EncDecCli.Run(new[] { "bench", "peak", option, value }, output, error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(option, error.ToString());
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Table_NamesThreadsPathAndFigures()
    {
        var output = new StringWriter();
        PeakBenchmark.Report(new PeakBenchmark.Result(2, SimdLevel.Avx2, 4e9, new TimingSummary(0.01, 0.02, 3)), json: false, output);

        Assert.Contains("2 threads, avx2: best 400.0 GFLOP/s (200.0 per thread), median 200.0 of 3 runs", output.ToString());
    }
}
