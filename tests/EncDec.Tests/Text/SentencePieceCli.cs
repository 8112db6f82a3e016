using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// Runs SentencePiece's command-line tools (<c>spm_encode</c>, <c>spm_decode</c>, <c>spm_train</c>), the reference
/// for the parity tests, and reads the line files they work on. Lines are raw bytes, split at '\n' as the tools
/// split them, so that nothing is lost or repaired on the way.
/// </summary>
internal static class SentencePieceCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The lines of a gzip file under shared/data, as bytes.</summary>
    public static byte[][] ReadGzipLines(string sharedDataPath)
    {
        using var file = File.OpenRead(SharedDataFactAttribute.Require(sharedDataPath));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return SplitLines(memory.ToArray());
    }

    /// <summary>Splits at '\n'; a final '\n' ends the last line rather than starting an empty one.</summary>
    public static byte[][] SplitLines(byte[] text)
    {
        var lines = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != (byte)'\n') continue;
            lines.Add(text[start..i]);
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return [.. lines];
    }

    /// <summary>Writes <paramref name="lines"/> to <paramref name="path"/>, each ended by '\n'.</summary>
    public static void WriteLines(string path, IEnumerable<byte[]> lines)
    {
        using var stream = File.Create(path);
        foreach (var line in lines)
        {
            stream.Write(line);
            stream.WriteByte((byte)'\n');
        }
    }

    /// <summary><c>spm_encode --output_format=piece|id</c> on a file of lines: one output line per input line.</summary>
    public static string[] Encode(string model, string inputFile, string format) =>
        OutputLines(Run("spm_encode", $"--model={model}", $"--output_format={format}", inputFile));

    /// <summary><c>spm_decode --input_format=id</c> on a file of id lines: one text line per input line.</summary>
    public static string[] Decode(string model, string idFile) =>
        OutputLines(Run("spm_decode", $"--model={model}", "--input_format=id", idFile));

    /// <summary>Runs <c>spm_train</c> with the given flags (quietly, on one thread).</summary>
    public static void Train(params string[] flags) => Run("spm_train", [.. flags, "--num_threads=1", "--minloglevel=2"]);

    private static string[] OutputLines(byte[] stdout) =>
        [.. SplitLines(stdout).Select(line => Encoding.UTF8.GetString(line))];

    private static byte[] Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(ToolFactAttribute.Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        if (!process.WaitForExit(Timeout))
        {
            process.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} ran past {Timeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.ToArray();
    }
}
