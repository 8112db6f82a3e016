using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Json;
using EncDec.Data;
using EncDec.Evaluation;

namespace EncDec.Cli.Commands;

/// <summary><c>encdec eval</c>: corpus BLEU and chrF of a system's output, with SacreBLEU's numbers.</summary>
public static class EvalCommand
{
    private static readonly string[] KnownMetrics = ["bleu", "chrf"];

    /// <summary>The <c>eval</c> command.</summary>
    public static Command Create()
    {
        var hyp = new Option<string>("--hyp")
        {
            Description = "The system's output: UTF-8 text, one detokenized segment per line",
            HelpName = "FILE",
            Required = true,
        };
        var references = new Option<string[]>("--ref")
        {
            Description = "A reference translation, line-aligned with --hyp; repeat for several references",
            HelpName = "FILE",
            Required = true,
        };
        var metrics = new Option<string[]>("--metric")
        {
            Description = "Comma-separated metrics to compute: bleu, chrf",
            HelpName = "bleu,chrf",
            CustomParser = ParseMetrics,
            DefaultValueFactory = _ => KnownMetrics,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with full-precision values" };

        var eval = new Command("eval",
            "Score a system's output against references with SacreBLEU's defaults: BLEU (13a tokenisation, " +
            "exp smoothing) and chrF2 (character 6-grams, whitespace removed).\n" +
            "Example: encdec eval --hyp newstest.out.en --ref newstest.ref.en --metric bleu,chrf --json")
        {
            hyp, references, metrics, json,
        };
        eval.SetAction(parse =>
        {
            Run(parse.GetValue(hyp)!, parse.GetValue(references)!, parse.GetValue(metrics)!, parse.GetValue(json),
                parse.InvocationConfiguration.Output);
            return ExitCodes.Success;
        });
        return eval;
    }

    private static void Run(string hypPath, string[] refPaths, string[] metrics, bool json, TextWriter output)
    {
        var hypotheses = ReadLines(hypPath);
        var references = new List<IReadOnlyList<string>>(refPaths.Length);
        foreach (string refPath in refPaths)
        {
            var lines = ReadLines(refPath);
            if (lines.Count != hypotheses.Count)
                throw new CliDataException($"'{hypPath}' has {hypotheses.Count} lines but '{refPath}' has {lines.Count}");
            references.Add(lines);
        }
        RequireAReferencePerLine(references, refPaths);

        BleuScore? bleu = metrics.Contains("bleu") ? Bleu.CorpusScore(hypotheses, references) : null;
        ChrfScore? chrf = metrics.Contains("chrf") ? Chrf.CorpusScore(hypotheses, references) : null;
        if (json)
        {
            output.WriteLine(ToJson(metrics, bleu, chrf));
            return;
        }
        foreach (string metric in metrics)
            output.WriteLine(metric == "bleu" ? bleu!.ToString() : chrf!.ToString());
    }

    /// <summary>
    /// The lines of a UTF-8 file (plain or gzip), split at '\n' only, as SacreBLEU reads them (Python's <c>newline="\n"</c>): a
    /// '\r' stays in its line (both metrics treat it as whitespace), and a final '\n' does not start a line. Decoding is
    /// strict: a file that is not UTF-8 is reported, never scored with replacement characters.
    /// </summary>
    private static List<string> ReadLines(string path)
    {
        using var reader = LineReader.Open(path, splitting: LineSplitting.Raw);
        var lines = new List<string>();
        while (reader.MoveNext()) lines.Add(reader.DecodeLine());
        return lines;
    }

    /// <summary>SacreBLEU skips empty references but refuses a line where every reference is empty.</summary>
    private static void RequireAReferencePerLine(List<IReadOnlyList<string>> references, string[] refPaths)
    {
        for (int i = 0; i < references[0].Count; i++)
        {
            if (references.All(stream => stream[i].Length == 0))
                throw new CliDataException(
                    $"line {i + 1} is empty in every reference file ({string.Join(", ", refPaths.Select(p => $"'{p}'"))}); " +
                    "each line needs at least one non-empty reference");
        }
    }

    private static string ToJson(string[] metrics, BleuScore? bleu, ChrfScore? chrf)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (string metric in metrics)
                writer.WriteNumber(metric, metric == "bleu" ? bleu!.Score : chrf!.Score);
            if (bleu is not null)
            {
                writer.WriteStartObject("bleu_details");
                WriteArray(writer, "precisions", bleu.Precisions, (w, p) => w.WriteNumberValue(p));
                WriteArray(writer, "counts", bleu.Counts, (w, c) => w.WriteNumberValue(c));
                WriteArray(writer, "totals", bleu.Totals, (w, t) => w.WriteNumberValue(t));
                writer.WriteNumber("bp", bleu.BrevityPenalty);
                writer.WriteNumber("sys_len", bleu.SystemLength);
                writer.WriteNumber("ref_len", bleu.ReferenceLength);
                writer.WriteNumber("ratio", bleu.Ratio);
                writer.WriteEndObject();
            }
            if (chrf is not null)
            {
                writer.WriteStartObject("chrf_details");
                writer.WriteString("name", chrf.Name);
                writer.WriteNumber("char_order", chrf.CharOrder);
                writer.WriteNumber("word_order", chrf.WordOrder);
                writer.WriteNumber("beta", chrf.Beta);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T> values, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartArray(name);
        foreach (T value in values) write(writer, value);
        writer.WriteEndArray();
    }

    private static string[] ParseMetrics(ArgumentResult result)
    {
        var chosen = new List<string>();
        bool unknown = false;
        foreach (var token in result.Tokens)
        {
            foreach (string name in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string metric = name.ToLowerInvariant();
                if (!KnownMetrics.Contains(metric))
                {
                    result.AddError($"--metric: '{name}' is not one of bleu, chrf");
                    unknown = true;
                }
                else if (!chosen.Contains(metric))
                {
                    chosen.Add(metric);
                }
            }
        }
        if (chosen.Count == 0 && !unknown) result.AddError("--metric: name at least one of bleu, chrf");
        return chosen.ToArray();
    }
}
