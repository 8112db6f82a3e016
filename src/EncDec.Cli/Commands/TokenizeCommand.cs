using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using EncDec.Data;
using EncDec.Text;

namespace EncDec.Cli.Commands;

/// <summary>
/// <c>encdec tokenize</c>: text lines to pieces or ids, one output line per input line, as SentencePiece's
/// <c>spm_encode --output_format=piece|id</c> writes them (tokens separated by single spaces, an empty line for an
/// empty or blank line).
/// </summary>
/// <remarks>
/// Malformed UTF-8: with a SentencePiece model the line's raw bytes are encoded as SentencePiece encodes them, each
/// malformed byte read as U+FFFD, so the output equals <c>spm_encode</c>'s; other tokenizers take text, and a line
/// that is not UTF-8 stops the command with exit code 2 naming the line. With <c>--threads N</c>, batches of lines
/// are encoded on N threads and written in input order (<see cref="LinePipeline"/>); the output does not depend on N.
/// </remarks>
public static class TokenizeCommand
{
    /// <summary>The <c>tokenize</c> command.</summary>
    public static Command Create()
    {
        var model = ModelOption();
        var ids = new Option<bool>("--ids") { Description = "Write ids instead of pieces" };
        var input = InputOption();
        var threads = ThreadsOption();
        var tokenize = new Command("tokenize",
            "Split text lines (UTF-8, standard input) into pieces or ids: one output line per input line, tokens " +
            "separated by spaces, as spm_encode writes them. Malformed UTF-8: with a SentencePiece .model each bad " +
            "byte is read as U+FFFD (as spm_encode does); other tokenizers stop with an error naming the line.\n" +
            "Example: encdec tokenize --model spiece.model --ids < train.en > train.ids")
        {
            model, ids, input, threads,
        };
        tokenize.SetAction(parse =>
        {
            var tokenizer = LoadModel(parse.GetValue(model)!);
            string? inputPath = parse.GetValue(input);
            using var stream = OpenInput(inputPath);
            var output = BufferedOutput(parse.InvocationConfiguration.Output);
            Run(tokenizer, stream, output, parse.GetValue(ids), parse.GetValue(threads), inputPath ?? "<stdin>");
            return ExitCodes.Success;
        });
        return tokenize;
    }

    /// <summary>
    /// Tokenizes every line of <paramref name="input"/> to <paramref name="output"/>, in order, and flushes it.
    /// </summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="input">UTF-8 text lines, split at '\n' (a '\r' stays in its line, as for spm_encode).</param>
    /// <param name="output">One line of pieces or ids per input line.</param>
    /// <param name="ids">Ids instead of pieces.</param>
    /// <param name="threads">Workers encoding batches of lines (the output order is the input order).</param>
    /// <param name="inputName">Names the input in error messages.</param>
    /// <exception cref="InvalidDataException">A line is not UTF-8 and the tokenizer is not SentencePiece, or is longer than
    /// <see cref="LineReader.MaxLineBytes"/>.</exception>
    public static void Run(ITokenizer tokenizer, Stream input, TextWriter output, bool ids, int threads = 1,
        string inputName = "<stdin>") =>
        LinePipeline.Run(input, output, threads, () => new LineTransform(tokenizer, ids, inputName), inputName);

    /// <summary><c>--model FILE</c>, shared with <c>detokenize</c> and the benchmark.</summary>
    internal static Option<string> ModelOption() => new("--model")
    {
        Description = "The tokenizer: a SentencePiece .model file, a tokenizer.json, or a folder holding one",
        HelpName = "FILE",
        Required = true,
    };

    /// <summary><c>--input FILE</c>: standard input when absent.</summary>
    internal static Option<string> InputOption() => new("--input")
    {
        Description = "Read lines from this file instead of standard input",
        HelpName = "FILE",
    };

    /// <summary><c>--threads N</c>, defaulting to <see cref="Kernels.Parallelism.ThreadCount"/>.</summary>
    internal static Option<int> ThreadsOption()
    {
        var threads = new Option<int>("--threads")
        {
            Description = "Threads encoding batches of lines; output order is input order (default: ENCDEC_THREADS or all cores)",
            HelpName = "N",
            DefaultValueFactory = _ => Kernels.Parallelism.ThreadCount,
        };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--threads must be at least 1"); });
        return threads;
    }

    /// <summary>Loads a tokenizer, turning every way a model file can be unusable into one line naming it.</summary>
    internal static ITokenizer LoadModel(string path)
    {
        try
        {
            return TokenizerLoader.Load(path);
        }
        catch (FileNotFoundException e)
        {
            throw new CliDataException(e.Message, e);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or FormatException or System.Text.Json.JsonException)
        {
            throw new CliDataException(e.Message.Contains(path, StringComparison.Ordinal) ? e.Message : $"'{path}': {e.Message}", e);
        }
    }

    /// <summary>The file named by <c>--input</c>, or standard input.</summary>
    internal static Stream OpenInput(string? path)
    {
        if (path is null) return Console.OpenStandardInput();
        if (!File.Exists(path)) throw new CliDataException($"input '{path}' does not exist");
        return File.OpenRead(path);
    }

    /// <summary>
    /// Console.Out flushes on every write; for the real console, a buffered UTF-8 writer over standard output is
    /// used instead (flushed at the end). Any other writer (a test's) is used as it is.
    /// </summary>
    internal static TextWriter BufferedOutput(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
            ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16)
            : output;

    private sealed class LineTransform(ITokenizer tokenizer, bool ids, string inputName) : ILineTransform
    {
        private readonly List<int> idBuffer = [];

        public void Transform(ReadOnlySpan<byte> line, long lineNumber, LineOutputBuffer output)
        {
            if (tokenizer is SentencePieceProcessor spm)
            {
                if (ids)
                {
                    idBuffer.Clear();
                    spm.EncodeUtf8(line, idBuffer);     // the raw bytes, as spm_encode reads them; no array per line
                    AppendIds(CollectionsMarshal.AsSpan(idBuffer), output);
                }
                else
                {
                    AppendPieces(spm.EncodeUtf8ToPieces(line), output);
                }
                return;
            }
            string text = LineReader.DecodeStrict(line, lineNumber, inputName);
            if (ids) AppendIds(tokenizer.Encode(text), output);
            else AppendPieces(tokenizer.EncodeToPieces(text), output);
        }

        private static void AppendIds(ReadOnlySpan<int> values, LineOutputBuffer output)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (i > 0) output.Append(' ');
                output.Append(values[i]);
            }
        }

        private static void AppendPieces(string[] pieces, LineOutputBuffer output)
        {
            for (int i = 0; i < pieces.Length; i++)
            {
                if (i > 0) output.Append(' ');
                output.Append(pieces[i]);
            }
        }
    }
}
