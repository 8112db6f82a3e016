using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using EncDec.Cli.Commands;
using EncDec.Data;
using EncDec.Text;

namespace EncDec.Cli.Bench;

/// <summary>
/// Tokenizer throughput on one text file, in one run: EncDec's encoding to ids inside this process, EncDec's
/// <c>encdec tokenize --ids</c> as a separate process, and SentencePiece's <c>spm_encode --output_format=id</c> as
/// a process, each the best of several repetitions.
/// </summary>
/// <remarks>
/// <para>A process is timed by wall clock from start to exit, its standard input the (decompressed) file and its
/// standard output a file, so start-up, model loading and I/O all count, for both tools alike; a row for an empty
/// input shows that fixed cost. The in-process row times encoding the lines (already in memory) to id arrays on
/// one thread, after one untimed pass.</para>
/// <para>The CLI's output is compared with <c>spm_encode</c>'s; a difference is reported, since a faster wrong
/// answer means nothing.</para>
/// </remarks>
public static class TokenizeBenchmark
{
    /// <summary>One measured way of tokenizing the input.</summary>
    /// <param name="Name">What ran.</param>
    /// <param name="Seconds">The best wall-clock time.</param>
    /// <param name="Lines">Lines in the input.</param>
    /// <param name="Bytes">Bytes in the input.</param>
    public sealed record Row(string Name, double Seconds, long Lines, long Bytes)
    {
        /// <summary>Lines per second.</summary>
        public double LinesPerSecond => Lines / Seconds;

        /// <summary>Input megabytes (10^6 bytes) per second.</summary>
        public double MegabytesPerSecond => Bytes / Seconds / 1e6;
    }

    /// <summary>The <c>bench tokenize</c> command.</summary>
    public static Command CreateCommand()
    {
        var model = TokenizeCommand.ModelOption();
        var input = new Option<string>("--input")
        {
            Description = "Text lines to tokenize, plain or gzip (.gz), e.g. Multi30k's train.en.gz",
            HelpName = "FILE",
            Required = true,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Timed repetitions of each measurement; the best is reported",
            DefaultValueFactory = _ => 5,
        };
        repeat.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--repeat must be at least 1"); });
        var threads = TokenizeCommand.ThreadsOption();
        var command = new Command("tokenize",
            "Measure tokenizing to ids (lines/s, MB/s): in-process, 'encdec tokenize' as a process, and spm_encode " +
            "as a process when it is installed.\n" +
            "Example: encdec bench tokenize --model spiece.model --input multi30k/train.en.gz")
        {
            model, input, json, repeat, threads,
        };
        command.SetAction(parse =>
        {
            Run(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(repeat), parse.GetValue(threads),
                parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs the measurements and prints a table (or one JSON object).</summary>
    /// <param name="modelPath">The tokenizer file (for <c>spm_encode</c>, a SentencePiece model).</param>
    /// <param name="inputPath">Text lines, plain or gzip-compressed (<c>.gz</c>).</param>
    /// <param name="repeat">Timed repetitions of each measurement; the best counts.</param>
    /// <param name="threads">Threads for the CLI's second row (the first uses one, like <c>spm_encode</c>).</param>
    /// <param name="json">One JSON object instead of a table.</param>
    /// <param name="output">Where the report goes.</param>
    /// <param name="error">Where notes (a missing <c>spm_encode</c>, a mismatch) go.</param>
    /// <returns>The rows measured.</returns>
    public static IReadOnlyList<Row> Run(string modelPath, string inputPath, int repeat, int threads, bool json,
        TextWriter output, TextWriter error)
    {
        var tokenizer = TokenizeCommand.LoadModel(modelPath);
        if (!File.Exists(inputPath)) throw new CliDataException($"input '{inputPath}' does not exist");
        string folder = Directory.CreateTempSubdirectory("encdec-bench-tokenize-").FullName;
        try
        {
            string plain = Decompress(inputPath, Path.Combine(folder, "input.txt"));
            var lines = ReadLines(plain);
            long bytes = new FileInfo(plain).Length;
            var rows = new List<Row>
            {
                new("encdec in-process: encode lines in memory (1 thread)", TimeInProcess(tokenizer, lines, repeat), lines.Length, bytes),
                new("encdec in-process: TokenizeCommand.Run (1 thread)", TimePipeline(tokenizer, plain, repeat), lines.Length, bytes),
            };
            rows.AddRange(TimeProcesses(modelPath, plain, folder, repeat, threads, lines.Length, bytes, error));
            Report(rows, modelPath, inputPath, repeat, json, output);
            return rows;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double TimeInProcess(ITokenizer tokenizer, byte[][] lines, int repeat)
    {
        var ids = new List<int>();
        Action pass = tokenizer is SentencePieceProcessor spm
            ? () =>
            {
                foreach (var line in lines)
                {
                    ids.Clear();
                    spm.EncodeUtf8(line, ids);      // what encdec tokenize --ids calls per line
                }
            }
            : () => { foreach (var line in lines) tokenizer.Encode(Encoding.UTF8.GetString(line)); };
        pass();
        double best = double.MaxValue;
        for (int i = 0; i < repeat; i++)
        {
            long start = Stopwatch.GetTimestamp();
            pass();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    /// <summary>The command's whole path without the process: file bytes in, id lines formatted and written to nowhere.</summary>
    private static double TimePipeline(ITokenizer tokenizer, string path, int repeat)
    {
        byte[] input = File.ReadAllBytes(path);
        void Pass()
        {
            using var output = new StreamWriter(Stream.Null, new UTF8Encoding(false), 1 << 16);
            TokenizeCommand.Run(tokenizer, new MemoryStream(input), output, ids: true, threads: 1);
        }
        Pass();
        double best = double.MaxValue;
        for (int i = 0; i < repeat; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Pass();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    private static List<Row> TimeProcesses(string model, string input, string folder, int repeat, int threads,
        long lineCount, long bytes, TextWriter error)
    {
        var rows = new List<Row>();
        if (!File.Exists("/bin/sh"))
        {
            error.WriteLine("encdec: /bin/sh not found; process rows skipped");
            return rows;
        }
        string empty = Path.Combine(folder, "empty.txt");
        File.WriteAllBytes(empty, []);
        var (host, dll) = CliCommand();
        string[] ours = [host, .. dll, "tokenize", "--model", model, "--ids", "--threads", "1"];
        string[] oursThreaded = [host, .. dll, "tokenize", "--model", model, "--ids", "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        string oursOut = Path.Combine(folder, "encdec.ids"), spmOut = Path.Combine(folder, "spm.ids");
        rows.Add(new("encdec tokenize --ids, empty input (start-up)", TimeProcess(ours, empty, oursOut, repeat), 0, 0));
        rows.Add(new("encdec tokenize --ids --threads 1 (process)", TimeProcess(ours, input, oursOut, repeat), lineCount, bytes));
        if (threads > 1)
            rows.Add(new($"encdec tokenize --ids --threads {threads} (process)", TimeProcess(oursThreaded, input, oursOut, repeat), lineCount, bytes));
        if (ToolPath("spm_encode") is not { } spm)
        {
            error.WriteLine("encdec: spm_encode not found on the PATH; SentencePiece rows skipped");
            return rows;
        }
        string[] theirs = [spm, $"--model={model}", "--output_format=id"];
        rows.Add(new("spm_encode --output_format=id, empty input (start-up)", TimeProcess(theirs, empty, spmOut, repeat), 0, 0));
        rows.Add(new("spm_encode --output_format=id (process)", TimeProcess(theirs, input, spmOut, repeat), lineCount, bytes));
        if (!File.ReadAllBytes(oursOut).AsSpan().SequenceEqual(File.ReadAllBytes(spmOut)))
            error.WriteLine("encdec: MISMATCH: encdec tokenize --ids and spm_encode wrote different ids for this input");
        return rows;
    }

    /// <summary>Best wall-clock seconds of <paramref name="command"/> with stdin from and stdout to files, after one untimed run.</summary>
    private static double TimeProcess(string[] command, string stdin, string stdout, int repeat)
    {
        double best = double.MaxValue;
        for (int i = 0; i <= repeat; i++)
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$@\" < \"$BENCH_IN\" > \"$BENCH_OUT\"");
            start.ArgumentList.Add("sh");
            foreach (string argument in command) start.ArgumentList.Add(argument);
            start.Environment["BENCH_IN"] = stdin;
            start.Environment["BENCH_OUT"] = stdout;
            long began = Stopwatch.GetTimestamp();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            double seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
            if (process.ExitCode != 0)
                throw new CliDataException($"'{string.Join(' ', command)}' failed with exit code {process.ExitCode}: {stderr.Trim()}");
            if (i > 0) best = Math.Min(best, seconds);     // the first run warms the file cache
        }
        return best;
    }

    /// <summary>How to start this CLI: the <c>dotnet</c> host and this assembly, or the app host alone.</summary>
    private static (string Host, string[] Dll) CliCommand()
    {
        string dll = typeof(TokenizeBenchmark).Assembly.Location;
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet") return (process, [dll]);
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ToolPath("dotnet") ?? "dotnet";
        return (host, [dll]);
    }

    private static string? ToolPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);

    /// <summary>The input as a plain file: itself, or its gzip content written to <paramref name="target"/>.</summary>
    private static string Decompress(string input, string target)
    {
        using (var file = File.OpenRead(input))
        {
            if (!(file.ReadByte() == 0x1F && file.ReadByte() == 0x8B)) return input;   // the gzip magic number
        }
        try
        {
            using var gzip = new GZipStream(File.OpenRead(input), CompressionMode.Decompress);
            using var plain = File.Create(target);
            gzip.CopyTo(plain);
        }
        catch (InvalidDataException e)
        {
            throw new CliDataException($"input '{input}' is not a valid gzip file: {e.Message}", e);
        }
        return target;
    }

    private static byte[][] ReadLines(string path)
    {
        using var reader = LineReader.Open(path, splitting: LineSplitting.Raw);
        var lines = new List<byte[]>();
        while (reader.MoveNext()) lines.Add(reader.Line.ToArray());
        return [.. lines];
    }

    private static void Report(List<Row> rows, string model, string input, int repeat, bool json, TextWriter output)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model, input, repeat,
                rows = rows.Select(r => new
                {
                    name = r.Name, seconds = r.Seconds, lines = r.Lines, bytes = r.Bytes,
                    lines_per_second = r.Lines > 0 ? r.LinesPerSecond : 0, mb_per_second = r.Bytes > 0 ? r.MegabytesPerSecond : 0,
                }),
            }));
            return;
        }
        var first = rows[0];
        output.WriteLine(string.Create(invariant,
            $"Tokenize to ids: {input} ({first.Lines} lines, {first.Bytes / 1e6:F2} MB), model {model}, best of {repeat}"));
        output.WriteLine($"  {"",-56} {"seconds",9} {"lines/s",11} {"MB/s",8}");
        foreach (var row in rows)
        {
            string rates = row.Lines > 0 ? string.Create(invariant, $"{row.LinesPerSecond,11:F0} {row.MegabytesPerSecond,8:F2}") : "";
            output.WriteLine(string.Create(invariant, $"  {row.Name,-56} {row.Seconds,9:F3} {rates}"));
        }
    }
}
