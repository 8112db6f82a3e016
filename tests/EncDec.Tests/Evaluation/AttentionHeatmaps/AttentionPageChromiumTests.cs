using System.Diagnostics;
using EncDec.Evaluation;

namespace EncDec.Tests.Evaluation.AttentionHeatmaps;

/// <summary>The page renders in a real browser: headless Chromium takes a screenshot without a script error.</summary>
public sealed class AttentionPageChromiumTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-chromium-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [ToolFact("chromium")]
    public void HeadlessChromium_ScreenshotsThePage_WithoutErrors()
    {
        string html = Path.Combine(_folder, "attention.html");
        string png = Path.Combine(_folder, "attention.png");
        AttentionPage.WriteHtml(html, [AttentionPageTests.Example(12, 15, "small"), AttentionPageTests.Example(40, 40, "large")]);

        var (code, error) = RunChromium(ToolFactAttribute.Require("chromium"),
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
            $"--user-data-dir={Path.Combine(_folder, "profile")}", $"--screenshot={png}", "--window-size=1200,900", new Uri(html).AbsoluteUri);

        Assert.True(code == 0, $"chromium exited with {code}: {error}");
        Assert.DoesNotContain(error.Split('\n'), line => line.Contains("Uncaught", StringComparison.Ordinal));
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.True(bytes.Length > 4096, $"screenshot of {bytes.Length} bytes is too small to show the heatmaps");
    }

    private static (int Code, string Error) RunChromium(string chromium, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 90 s");
        }
        process.WaitForExit();
        return (process.ExitCode, error.Result + output.Result);
    }
}
