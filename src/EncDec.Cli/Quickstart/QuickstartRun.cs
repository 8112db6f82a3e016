using System.Diagnostics;
using EncDec.Cli.Commands;
using EncDec.Cli.Training;
using EncDec.Data.Synthetic;
using EncDec.Evaluation;
using EncDec.Generation;
using EncDec.Models;
using EncDec.Training;
using EncDec.Training.Configuration;

namespace EncDec.Cli.Quickstart;

/// <summary>What the quickstart measured on its held-out test set.</summary>
/// <param name="Bleu">Corpus BLEU (SacreBLEU defaults) of beam-4 translations.</param>
/// <param name="Chrf">Corpus chrF.</param>
/// <param name="ExactMatch">Percentage of test sentences translated exactly as the reference.</param>
/// <param name="TrainingSteps">Updates done.</param>
/// <param name="Elapsed">Wall time of the whole quickstart.</param>
public sealed record QuickstartResult(double Bleu, double Chrf, double ExactMatch, long TrainingSteps, TimeSpan Elapsed);

/// <summary>
/// The whole encoder-decoder story in one command: generate the built-in English-to-French corpus, train a model
/// with a live display, score it on held-out sentences, translate examples with beam search, draw their
/// cross-attention, and say where everything is and what to try next.
/// </summary>
public static class QuickstartRun
{
    private const string Marker = "quickstart.json";

    /// <summary>Runs the quickstart, writing its report to <paramref name="output"/>.</summary>
    public static QuickstartResult Run(QuickstartSettings settings, TextWriter output, CancellationToken cancellation = default)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        PrepareFolder(settings.Output, output);
        string data = Path.Combine(settings.Output, "data");
        var splits = SyntheticCorpus.GenerateSplits(SyntheticTasks.Get("en-fr"), settings.TrainPairs, QuickstartSettings.DevPairs,
            QuickstartSettings.TestPairs, settings.Seed);
        SyntheticCorpus.Write(splits.Train, data, "train");
        SyntheticCorpus.Write(splits.Dev, data, "dev");
        SyntheticCorpus.Write(splits.Test, data, "test");
        Say(output, settings, $"1/4 generated {splits.Train.Count:N0} English-French training pairs and {splits.Test.Count} held-out test pairs in {data}");

        bool transformer = ModelPresets.Get(settings.Preset, 8, 8).Family == ModelFamily.Transformer;
        var config = TrainingConfig.Load(null, settings.TrainingOverrides(data, transformer));
        Say(output, settings, $"2/4 training {settings.Preset} for up to {settings.Minutes} minutes (stops early at 99.5% exact match on dev)");
        ITrainingObserver observer = settings.Quiet ? new QuietTrainingObserver()
            : ConsoleTrainingObserver.IsInteractive(output) ? new ConsoleTrainingObserver() : new TextTrainingObserver(output);
        var outcome = new Trainer(config, observer).Run(resume: false, cancellation);

        var model = TranslationModelFolder.Load(outcome.ModelFolder);
        var translator = new Translator(model, new SearchOptions(BeamSize: 4, MaxLengthRatio: 2f, MaxLengthOffset: 10));
        var hypotheses = translator.Translate(splits.Test.Select(p => p.Source)).Select(r => r.Text).ToList();
        var references = splits.Test.Select(p => p.Target).ToList();
        double bleu = Bleu.CorpusScore(hypotheses, [references]).Score;
        double chrf = Chrf.CorpusScore(hypotheses, [references]).Score;
        double exact = 100.0 * hypotheses.Zip(references).Count(p => p.First == p.Second) / references.Count;
        output.WriteLine($"3/4 held-out test ({references.Count} sentences never seen in training), beam 4: " +
                         $"exact match {exact:F1}%, BLEU {bleu:F2}, chrF {chrf:F2}");
        foreach (int i in Enumerable.Range(0, 4))
        {
            output.WriteLine($"    en   {splits.Test[i].Source}");
            output.WriteLine($"    fr   {hypotheses[i]}{(hypotheses[i] == references[i] ? "" : $"   (reference: {references[i]})")}");
        }

        string page = Path.Combine(settings.Output, "attention.html");
        AttentionCommand.Write(model, ExamplesWithReordering(splits.Test), page, beam: 4, svg: false);
        output.WriteLine($"4/4 cross-attention heatmaps: {Path.GetFullPath(page)}");
        File.WriteAllText(Path.Combine(settings.Output, Marker),
            $"{{\"preset\":\"{settings.Preset}\",\"exact_match\":{exact:R},\"bleu\":{bleu:R},\"chrf\":{chrf:R},\"steps\":{outcome.Step}}}\n");
        var result = new QuickstartResult(bleu, chrf, exact, outcome.Step, clock.Elapsed);
        PrintNextSteps(output, settings, outcome, result);
        return result;
    }

    /// <summary>Sentences with a colour adjective before its noun ("the red car"), which French puts after it
    /// ("la voiture rouge"), so the heatmap shows the reordering as an off-diagonal pattern.</summary>
    private static IReadOnlyList<string> ExamplesWithReordering(IReadOnlyList<SyntheticPair> test)
    {
        string[] colours = ["red", "black", "green", "blue", "white", "yellow"];
        bool ColourBeforeNoun(string source)
        {
            var words = source.Split(' ');
            for (int i = 0; i + 1 < words.Length; i++)
                if (colours.Contains(words[i]) && char.IsLetter(words[i + 1][0])) return true;
            return false;
        }
        var chosen = test.Where(p => ColourBeforeNoun(p.Source)).Take(3).Select(p => p.Source).ToList();
        return chosen.Count > 0 ? chosen : [.. test.Take(3).Select(p => p.Source)];
    }

    private static void PrepareFolder(string folder, TextWriter output)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
                throw new CliUsageException($"'{folder}' exists and is not a quickstart folder; choose another with --out");
            foreach (string entry in new[] { "data", "model", "checkpoints", "metrics.jsonl", "curve.svg", "attention.html", Marker })
            {
                string path = Path.Combine(folder, entry);
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else File.Delete(path);
            }
            output.WriteLine($"replacing the previous quickstart in {folder}");
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "{}\n");   // marks the folder as ours before anything long runs
    }

    private static void Say(TextWriter output, QuickstartSettings settings, string text)
    {
        if (!settings.Quiet) output.WriteLine(text);
    }

    private static void PrintNextSteps(TextWriter output, QuickstartSettings settings, TrainingOutcome outcome, QuickstartResult result)
    {
        string model = outcome.ModelFolder;
        output.WriteLine();
        output.WriteLine($"Done in {result.Elapsed.TotalMinutes:F1} min ({result.TrainingSteps} updates). Everything is in {Path.GetFullPath(settings.Output)}:");
        output.WriteLine($"  model        {model}   (config.json, model.safetensors, tokenizer, translation.json)");
        output.WriteLine($"  training     {Path.GetFullPath(settings.Output)}   (metrics.jsonl, curve.svg, checkpoints/, data/)");
        output.WriteLine($"  attention    {Path.Combine(settings.Output, "attention.html")}");
        output.WriteLine("Try next:");
        output.WriteLine($"  echo \"the small dog does not eat the red apple .\" | dotnet run --project src/EncDec.Cli -c Release -- translate --model {model} --beam 4");
        output.WriteLine($"  dotnet run --project src/EncDec.Cli -c Release -- attention --model {model} --src \"we will see the green houses .\"");
        output.WriteLine($"  dotnet run --project src/EncDec.Cli -c Release -- quickstart --preset bahdanau-gru --out quickstart-gru");
        output.WriteLine("  dotnet run --project src/EncDec.Cli -c Release -- train --config examples/multi30k-en-fr.yaml   (real data: Multi30k)");
    }
}
