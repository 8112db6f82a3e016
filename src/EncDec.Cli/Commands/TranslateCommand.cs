using System.Collections.Concurrent;
using System.CommandLine;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EncDec.Data;
using EncDec.Generation;
using EncDec.Models;

namespace EncDec.Cli.Commands;

/// <summary>
/// <c>encdec translate</c>: standard input lines to translations, one output line per input line, in order. Streams:
/// a reader thread queues lines as they arrive and each batch takes what is queued, up to the batch budget, so an
/// interactive or piped producer gets each batch's output (flushed) without waiting for the end of the input.
/// Plain output is the best translation; with <c>--nbest N</c> the N best, tab-separated. <c>--json</c> writes one
/// object per line: <c>{"line", "source", "hypotheses": [{"text", "tokens", "score", "normalised_score",
/// "token_log_probs", "attention"}]}</c>.
/// </summary>
public static class TranslateCommand
{
    /// <summary>The <c>translate</c> command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model folder (EncDec or CTranslate2)", HelpName = "DIR", Required = true };
        var search = new SearchCommandOptions();
        var batchTokens = SearchCommandOptions.Positive("--max-batch-tokens", "Padded source tokens per batch", 4096);
        var threads = TokenizeCommand.ThreadsOption();
        threads.Description = "Threads for the tensor kernels (default: ENCDEC_THREADS or all cores)";
        var json = new Option<bool>("--json") { Description = "One JSON object per line: tokens, scores and attention" };
        var computeType = Bench.BenchOptions.ComputeType();
        var tsvPrefix = new Option<bool>("--tsv-prefix")
        {
            Description = "Input lines are SOURCE<TAB>TARGET-PREFIX: each translation starts with its line's prefix (Marian's --tsv " +
                "with --force-decode, CTranslate2's per-example target_prefix); a line without a tab has none",
        };
        var rejectOverlong = new Option<bool>("--reject-overlong")
        {
            Description = "Stop with an error naming the line when a line is longer than the model's maximum source length (default: truncate it with a warning)",
        };
        var translate = new Command("translate",
            "Translate standard input (UTF-8 lines) with a model folder, one output line per input line, in order, streaming.\n" +
            "An error naming line N (exit code 2) comes after the translations of lines 1 to N-1 are written.\n" +
            "Example: encdec translate --model de-en --beam 4 < test.de > test.en")
        {
            model,
        };
        foreach (var option in search.All.Concat([batchTokens, threads, json, tsvPrefix, rejectOverlong, computeType])) translate.Options.Add(option);
        translate.SetAction(parse =>
        {
            var config = parse.InvocationConfiguration;
            SearchOptions options;
            try
            {
                options = search.Build(parse, returnAttention: parse.GetValue(json));
            }
            catch (ArgumentException e)
            {
                config.Error.WriteLine($"encdec: {e.Message} (see 'encdec translate --help')");
                return ExitCodes.Usage;
            }
            Kernels.Parallelism.ThreadCount = parse.GetValue(threads);
            var loaded = LoadModel(parse.GetValue(model)!);
            try
            {
                loaded.Model.InferencePrecision = parse.GetValue(computeType);
            }
            catch (NotSupportedException e)
            {
                config.Error.WriteLine($"encdec: --compute-type: {e.Message}");
                return ExitCodes.Usage;
            }
            options = search.WithText(options, parse, loaded);
            using var input = Console.OpenStandardInput();
            Run(loaded, input, TokenizeCommand.BufferedOutput(config.Output), config.Error, options,
                new TranslatorOptions(MaxBatchTokens: parse.GetValue(batchTokens), RejectOverlong: parse.GetValue(rejectOverlong)), parse.GetValue(json),
                parse.GetValue(tsvPrefix));
            return ExitCodes.Success;
        });
        return translate;
    }

    /// <summary>Translates every line of <paramref name="input"/> to <paramref name="output"/>, flushing after each batch.</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="input">UTF-8 lines ended by '\n' or "\r\n" (a byte order mark at the start is dropped); a line that is
    /// not UTF-8 stops with an error naming it.</param>
    /// <param name="output">One line per input line.</param>
    /// <param name="error">Warnings (truncated lines).</param>
    /// <param name="search">The search.</param>
    /// <param name="options">Batching; a batch takes the lines already read, up to its budget.</param>
    /// <param name="json">JSON objects instead of text.</param>
    /// <param name="tsvPrefix">Lines are SOURCE, TAB, TARGET-PREFIX (a line without a tab has no prefix).</param>
    /// <exception cref="InvalidDataException">A line is not UTF-8.</exception>
    /// <exception cref="InputLineException">A prefix holds the end token, or an over-long line is rejected.</exception>
    /// <remarks>After an error naming line N, the output holds the translations of lines 1 to N − 1.</remarks>
    public static void Run(TranslationModel model, Stream input, TextWriter output, TextWriter error, SearchOptions search,
        TranslatorOptions options, bool json, bool tsvPrefix = false)
    {
        var translator = new Translator(model, search, options, warning => error.WriteLine($"encdec: warning: {warning}"));
        var queue = new BlockingCollection<(string? Line, Exception? Error)>(boundedCapacity: 4 * options.MaxBatchSentences);
        using var stop = new CancellationTokenSource();
        var reader = new Thread(() => ReadLines(input, queue, stop.Token)) { IsBackground = true, Name = "encdec translate reader" };
        reader.Start();
        try
        {
            long lineNumber = 1;
            var batch = new List<string>();
            var prefixes = new List<string?>();
            while (queue.TryTake(out var first, Timeout.Infinite))
            {
                batch.Clear();
                prefixes.Clear();
                // A line that cannot be read ends the batch: the lines before it are still translated and written.
                var readError = first.Error;
                int tokens = readError is null ? Take(first.Line!, batch, prefixes, tsvPrefix, translator) : 0;
                while (readError is null && batch.Count < options.MaxBatchSentences && tokens < options.MaxBatchTokens
                       && queue.TryTake(out var next))
                {
                    readError = next.Error;
                    if (readError is null) tokens += Take(next.Line!, batch, prefixes, tsvPrefix, translator);
                }
                WriteBatch(translator, batch, prefixes, tsvPrefix, lineNumber, output, json);
                if (readError is not null) ExceptionDispatchInfo.Throw(readError);
                lineNumber += batch.Count;
            }
        }
        finally
        {
            stop.Cancel();   // a reader blocked on a full queue gives up instead of waiting forever
            output.Flush();
        }
    }

    /// <summary>Translates and writes one batch numbered from <paramref name="firstLineNumber"/>. When a line is at
    /// fault (<see cref="InputLineException"/>), the lines before it are written before the error goes on, so the
    /// output always holds every line before the one an error names.</summary>
    private static void WriteBatch(Translator translator, List<string> batch, List<string?> prefixes, bool tsvPrefix,
        long firstLineNumber, TextWriter output, bool json)
    {
        try
        {
            Write(Translate(translator, batch, prefixes, tsvPrefix, firstLineNumber), output, json);
        }
        catch (InputLineException e) when (e.LineNumber > firstLineNumber && e.LineNumber < firstLineNumber + batch.Count)
        {
            int before = (int)(e.LineNumber - firstLineNumber);
            Write(Translate(translator, batch[..before], prefixes[..before], tsvPrefix, firstLineNumber), output, json);
            throw;
        }
    }

    private static IReadOnlyList<TranslationResult> Translate(Translator translator, List<string> batch, List<string?> prefixes,
        bool tsvPrefix, long firstLineNumber) =>
        tsvPrefix ? translator.TranslateBatch(batch, prefixes, firstLineNumber) : translator.TranslateBatch(batch, firstLineNumber);

    private static void Write(IReadOnlyList<TranslationResult> results, TextWriter output, bool json)
    {
        foreach (var result in results) output.WriteLine(json ? ToJson(result) : ToText(result));
        output.Flush();
    }

    /// <summary>Adds a line (split at its first tab into source and prefix with <paramref name="tsvPrefix"/>) and
    /// returns its source tokens.</summary>
    private static int Take(string line, List<string> batch, List<string?> prefixes, bool tsvPrefix, Translator translator)
    {
        int tab = tsvPrefix ? line.IndexOf('\t') : -1;
        batch.Add(tab < 0 ? line : line[..tab]);
        prefixes.Add(tab < 0 ? null : line[(tab + 1)..]);
        return translator.SourceLength(batch[^1]);
    }

    private static void ReadLines(Stream input, BlockingCollection<(string? Line, Exception? Error)> queue, CancellationToken stop)
    {
        try
        {
            using var reader = LineReader.FromStream(input, "<stdin>");
            while (reader.MoveNext())
                queue.Add((reader.DecodeLine(), null), stop);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            try
            {
                queue.Add((null, e), stop);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped already.
            }
        }
        catch (OperationCanceledException)
        {
            // The consumer stopped (an error, or the end); nobody reads further lines.
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    private static string ToText(TranslationResult result) =>
        result.Hypotheses.Count <= 1 ? result.Text : string.Join('\t', result.Hypotheses.Select(h => h.Text));

    // Text stays readable UTF-8 ("é", not "\u00E9"): the output is JSON lines, never embedded in HTML, so the default
    // encoder's escaping of every non-ASCII character buys nothing. Quotes, backslashes and controls are still escaped.
    private static readonly JsonWriterOptions JsonLineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string ToJson(TranslationResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonLineOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("line", result.LineNumber);
            writer.WriteString("source", result.Source);
            writer.WriteStartArray("hypotheses");
            foreach (var h in result.Hypotheses)
            {
                writer.WriteStartObject();
                writer.WriteString("text", h.Text);
                WriteArray(writer, "tokens", h.Search.Tokens, (w, t) => w.WriteNumberValue(t));
                writer.WriteNumber("score", h.Search.Score);
                writer.WriteNumber("normalised_score", h.Search.NormalisedScore);
                WriteArray(writer, "token_log_probs", h.Search.TokenLogProbs, (w, p) => w.WriteNumberValue(p));
                if (h.Search.Attention is { } attention)
                    WriteArray(writer, "attention", attention, (w, row) =>
                    {
                        w.WriteStartArray();
                        foreach (float weight in row) w.WriteNumberValue(weight);
                        w.WriteEndArray();
                    });
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray<T>(Utf8JsonWriter writer, string name, IEnumerable<T> values, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartArray(name);
        foreach (T value in values) write(writer, value);
        writer.WriteEndArray();
    }

    /// <summary>Loads a model folder, turning every way it can be unusable into one line naming it.</summary>
    private static TranslationModel LoadModel(string folder)
    {
        try
        {
            return TranslationModelFolder.Load(folder);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or JsonException)
        {
            throw new CliDataException(e.Message.Contains(folder, StringComparison.Ordinal) ? e.Message : $"model folder '{folder}': {e.Message}", e);
        }
    }
}
