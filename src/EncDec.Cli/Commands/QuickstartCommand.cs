using System.CommandLine;
using EncDec.Cli.Quickstart;

namespace EncDec.Cli.Commands;

/// <summary><c>encdec quickstart</c>: trains and shows a working English-to-French translator on a built-in corpus.</summary>
public static class QuickstartCommand
{
    /// <summary>The <c>quickstart</c> command.</summary>
    public static Command Create()
    {
        var defaults = new QuickstartSettings();
        var output = new Option<string>("--out") { Description = "Folder for the data, model and pages", HelpName = "DIR", DefaultValueFactory = _ => defaults.Output };
        var preset = new Option<string>("--preset") { Description = "Model preset, e.g. transformer or bahdanau-gru", HelpName = "NAME", DefaultValueFactory = _ => defaults.Preset };
        var minutes = new Option<double>("--minutes") { Description = "Training time budget in minutes", HelpName = "M", DefaultValueFactory = _ => defaults.Minutes };
        var threads = new Option<int>("--threads") { Description = "Threads for the tensor engine (0: all cores)", HelpName = "N" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the corpus, data order and weights", HelpName = "S", DefaultValueFactory = _ => defaults.Seed };
        var pairs = new Option<int>("--train-pairs") { Description = "Generated training pairs", HelpName = "N", DefaultValueFactory = _ => defaults.TrainPairs };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the results" };
        var command = new Command("quickstart",
            "Generate a built-in English-to-French corpus (adjective reordering, agreement, tenses, negation, numbers), " +
            "train a small Transformer with a live display, score it on held-out sentences, translate examples with beam " +
            "search, write cross-attention heatmaps and save the model. No data to download.\n" +
            "Examples:\n  encdec quickstart\n  encdec quickstart --preset bahdanau-gru --minutes 5 --out quickstart-gru")
        {
            output, preset, minutes, threads, seed, pairs, quiet,
        };
        command.SetAction((parse, cancellation) =>
        {
            var settings = new QuickstartSettings(parse.GetValue(output)!, parse.GetValue(preset)!, parse.GetValue(minutes),
                parse.GetValue(threads), parse.GetValue(seed), parse.GetValue(pairs), parse.GetValue(quiet));
            try { settings.Validate(); }
            catch (ArgumentException e) { throw new CliUsageException(e.Message, e); }
            QuickstartRun.Run(settings, parse.InvocationConfiguration.Output, cancellation);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
