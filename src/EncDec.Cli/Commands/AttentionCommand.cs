using System.CommandLine;
using EncDec.Evaluation;
using EncDec.Generation;
using EncDec.Models;

namespace EncDec.Cli.Commands;

/// <summary><c>encdec attention</c>: translates sentences and draws their cross-attention as an HTML page and SVG files.</summary>
public static class AttentionCommand
{
    /// <summary>The <c>attention</c> command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model folder (EncDec or CTranslate2)", HelpName = "DIR", Required = true };
        var sources = new Option<string[]>("--src")
        {
            Description = "A source sentence; repeat for several",
            HelpName = "TEXT",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string>("--out")
        {
            Description = "The HTML page to write; SVG files (one per example and map) go beside it in NAME-svg/",
            HelpName = "FILE.html",
            DefaultValueFactory = _ => "attention.html",
        };
        var beam = SearchCommandOptions.Positive("--beam", "Beam size", 4);
        var noSvg = new Option<bool>("--no-svg") { Description = "Write only the HTML page" };
        var threads = TokenizeCommand.ThreadsOption();
        threads.Description = "Threads for the tensor kernels (default: ENCDEC_THREADS or all cores)";
        var command = new Command("attention",
            "Translate sentences and write their cross-attention as a self-contained HTML page (source across, output down, " +
            "one heatmap per layer and head and their average) plus SVG files.\n" +
            "Examples:\n  encdec attention --model quickstart/model --src \"the red car is not big .\"\n" +
            "  encdec attention --model runs/multi30k-en-fr/model --src \"A dog runs.\" --src \"Two men talk.\" --out dog.html")
        {
            model, sources, output, beam, noSvg, threads,
        };
        command.SetAction(parse =>
        {
            Kernels.Parallelism.ThreadCount = parse.GetValue(threads);
            var translation = LoadModel(parse.GetValue(model)!);
            var written = Write(translation, parse.GetValue(sources)!, parse.GetValue(output)!, parse.GetValue(beam), !parse.GetValue(noSvg));
            foreach (string path in written) parse.InvocationConfiguration.Output.WriteLine(path);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Translates <paramref name="sources"/> and writes the page (and SVGs); returns the paths written.</summary>
    public static IReadOnlyList<string> Write(TranslationModel model, IReadOnlyList<string> sources, string htmlPath, int beam, bool svg)
    {
        var translator = new Translator(model, new SearchOptions(BeamSize: beam, ReturnAttention: true));
        var examples = translator.Translate(sources.Where(s => s.Trim().Length > 0))
            .Select(r => AttentionExamples.From(model, r, $"{r.Source} → {r.Text}"))
            .ToList();
        if (examples.Count == 0) throw new CliUsageException("every --src sentence is empty");
        string fullPath = Path.GetFullPath(htmlPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        AttentionPage.WriteHtml(fullPath, examples, "Cross-attention");
        var written = new List<string> { fullPath };
        if (!svg) return written;
        string folder = Path.Combine(Path.GetDirectoryName(fullPath)!, Path.GetFileNameWithoutExtension(fullPath) + "-svg");
        Directory.CreateDirectory(folder);
        for (int e = 0; e < examples.Count; e++)
            foreach (var map in examples[e].Maps)
            {
                string path = Path.Combine(folder, $"example{e + 1}-{map.Label.Replace(' ', '-')}.svg");
                AttentionPage.WriteSvg(path, examples[e], map);
                written.Add(path);
            }
        return written;
    }

    private static TranslationModel LoadModel(string folder)
    {
        try
        {
            return TranslationModelFolder.Load(folder);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new CliDataException($"model folder '{folder}': {e.Message}", e);
        }
    }
}
