using System.Text.Json;
using EncDec.Cli;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec bench train-step</c>, run in-process with few steps.</summary>
[Collection(nameof(GemmSerialCollection))]   // it sets the process-wide thread count while it runs
public class BenchTrainStepCommandTests
{
    [Fact]
    public void Json_ReportsTimeAndZeroAllocatedBytesPerStep()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EncDecCli.Run(["bench", "train-step", "--json", "--steps", "10", "--warmup", "5", "--threads", "2"], output, error);

        Assert.Equal(ExitCodes.Success, code);
        using var report = JsonDocument.Parse(output.ToString());
        var root = report.RootElement;
        Assert.True(root.GetProperty("ms_per_step").GetDouble() > 0);
        Assert.Equal(0, root.GetProperty("thread_bytes").GetInt64());
        Assert.True(float.IsFinite(root.GetProperty("loss").GetSingle()));
    }

    [Fact]
    public void ZeroSteps_IsAUsageError()
    {
        var error = new StringWriter();
        int code = EncDecCli.Run(["bench", "train-step", "--steps", "0"], new StringWriter(), error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--steps", error.ToString());
    }
}
