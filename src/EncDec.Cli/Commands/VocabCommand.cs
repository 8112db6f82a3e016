using System.CommandLine;
using System.Diagnostics;
using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Cli.Commands;

/// <summary><c>encdec vocab train</c>: trains a SentencePiece vocabulary (unigram or BPE) and saves it as a <c>.model</c> file.</summary>
public static class VocabCommand
{
    /// <summary>The <c>vocab</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var vocab = new Command("vocab", "Build subword vocabularies");
        vocab.Add(CreateTrain());
        return vocab;
    }

    private static Command CreateTrain()
    {
        var input = new Option<string[]>("--input")
        {
            Description = "Training text, one sentence a line, plain or gzip; repeat (or list several) to pool files, e.g. source and target for a joint vocabulary",
            HelpName = "FILE",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var size = new Option<int>("--size") { Description = "Vocabulary size, special pieces included", Required = true };
        size.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 4) r.AddError("--size must be at least 4"); });
        var type = new Option<string>("--type") { Description = "Segmentation algorithm", DefaultValueFactory = _ => "unigram" };
        type.AcceptOnlyFromAmong("bpe", "unigram");
        var output = new Option<string>("--out") { Description = "The model file to write (written atomically)", HelpName = "FILE", Required = true };
        var coverage = new Option<double>("--character-coverage")
        {
            Description = "Share of character occurrences the alphabet covers; rarer characters become <unk> (1.0 keeps all)",
            DefaultValueFactory = _ => 0.9995,
        };
        coverage.Validators.Add(r =>
        {
            double c = r.GetValueOrDefault<double>();
            if (!(c >= 0.98 && c <= 1.0)) r.AddError("--character-coverage must be between 0.98 and 1");
        });
        var sample = new Option<int>("--input-sentence-size")
        {
            Description = "Train on a random sample of this many lines (0: all)",
            DefaultValueFactory = _ => 0,
        };
        sample.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or (> 0 and <= 100)) r.AddError("--input-sentence-size must be 0 or above 100"); });
        var seed = new Option<ulong>("--seed") { Description = "Seed of the line sampling", DefaultValueFactory = _ => 12345678UL };
        var byteFallback = new Option<bool>("--byte-fallback") { Description = "Add the 256 byte pieces, so unknown characters encode as UTF-8 bytes" };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads (the model does not depend on them)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--threads must be at least 1"); });

        var train = new Command("train",
            "Train a SentencePiece vocabulary as spm_train does (same defaults) and save it as a .model file that encdec " +
            "and spm_encode both load.\n" +
            "Example: encdec vocab train --input train.en train.de --size 8000 --type bpe --out joint.model")
        {
            input, size, type, output, coverage, sample, seed, byteFallback, threads,
        };
        train.SetAction(parse =>
        {
            var options = new SubwordTrainingOptions(
                VocabularySize: parse.GetValue(size),
                ModelType: parse.GetValue(type) == "bpe" ? SentencePieceModelType.Bpe : SentencePieceModelType.Unigram,
                CharacterCoverage: parse.GetValue(coverage),
                InputSentenceSize: parse.GetValue(sample),
                Seed: parse.GetValue(seed),
                ByteFallback: parse.GetValue(byteFallback),
                Threads: parse.GetValue(threads));
            return Run(parse.GetValue(input)!, options, parse.GetValue(output)!, parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error);
        });
        return train;
    }

    private static int Run(string[] inputs, SubwordTrainingOptions options, string outputPath, TextWriter output, TextWriter error)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"encdec: {e.Message.Split(" (Parameter")[0]} (see 'encdec vocab train --help')");
            return ExitCodes.Usage;
        }
        SubwordTrainingResult result;
        try
        {
            result = SubwordTrainer.Train(inputs, options);
        }
        catch (SubwordTrainingException e)
        {
            throw new CliDataException(e.Message, e);
        }
        SentencePieceModelWriter.Save(result.Model, outputPath);

        var clock = Stopwatch.StartNew();
        var (lines, tokens) = CountTokens(SentencePieceProcessor.Load(outputPath), inputs, options.Threads);
        var stats = result.Statistics;
        output.WriteLine($"trained {(options.ModelType == SentencePieceModelType.Bpe ? "BPE" : "unigram")} vocabulary: "
            + $"{result.Model.Pieces.Count} pieces, alphabet {result.AlphabetSize} characters ({stats.Coverage * 100:F3}% coverage), "
            + $"{stats.Sentences} of {stats.LinesRead} lines, in {result.Elapsed.TotalSeconds:F2} s");
        if (stats.TooLong + stats.Reserved > 0)
            output.WriteLine($"skipped {stats.TooLong} lines over {options.MaxSentenceLength} bytes and {stats.Reserved} holding U+2585");
        output.WriteLine($"tokens per line on the training data: {(double)tokens / Math.Max(1, lines):F3} "
            + $"({tokens} tokens, {lines} lines, encoded in {clock.Elapsed.TotalSeconds:F2} s)");
        output.WriteLine($"saved {outputPath}");
        return ExitCodes.Success;
    }

    // Every line of the inputs (blank ones too, as 0 tokens), as the model encodes it.
    private static (long Lines, long Tokens) CountTokens(SentencePieceProcessor model, string[] inputs, int threads)
    {
        var lines = inputs.SelectMany(path => CorpusLineReader.ReadLines(path).Select(l => l.Line)).ToArray();
        long tokens = 0;
        Parallel.For(0, lines.Length, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => 0L, (i, _, sum) => sum + model.EncodeUtf8(lines[i]).Length, sum => Interlocked.Add(ref tokens, sum));
        return (lines.Length, tokens);
    }
}
