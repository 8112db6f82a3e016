using System.CommandLine;
using EncDec.Data.Synthetic;

namespace EncDec.Cli.Commands;

/// <summary><c>encdec data synth</c>: writes a built-in synthetic parallel corpus (train, and optionally dev and test) as line-aligned files.</summary>
public static class DataCommand
{
    /// <summary>The <c>data</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var data = new Command("data", "Prepare training data");
        data.Add(CreateSynth());
        return data;
    }

    private static Command CreateSynth()
    {
        string names = string.Join(", ", SyntheticTasks.Names);
        var task = new Option<string>("--task")
        {
            Description = $"Task: {string.Join("; ", SyntheticTasks.Names.Select(n => $"{n} ({SyntheticTasks.Get(n).Description})"))}",
            HelpName = "NAME",
            Required = true,
        };
        task.Validators.Add(r =>
        {
            string? name = r.GetValueOrDefault<string>();
            if (name is null || !SyntheticTasks.Names.Contains(name)) r.AddError($"--task: '{name}' is not one of {names}");
        });
        var count = new Option<int>("--count") { Description = "Training pairs to write", HelpName = "N", Required = true };
        count.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--count must be at least 1"); });
        var output = new Option<string>("--out") { Description = "Folder for train.src/train.tgt (and dev.*, test.*); created if missing", HelpName = "DIR", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed and counts give the same files", DefaultValueFactory = _ => 1UL };
        var dev = NonNegative("--dev", "Development pairs, sources distinct and absent from train");
        var test = NonNegative("--test", "Test pairs, sources distinct and absent from train and dev");

        var synth = new Command("synth",
            "Generate a synthetic parallel corpus: line-aligned UTF-8 files, tokens separated by spaces, each file written atomically.\n" +
            "Examples: encdec data synth --task en-fr --count 100000 --dev 1000 --test 1000 --out data/en-fr\n" +
            "          encdec data synth --task reverse --count 20000 --out data/reverse --seed 7")
        {
            task, count, output, seed, dev, test,
        };
        synth.SetAction(parse => Run(parse.GetValue(task)!, parse.GetValue(count), parse.GetValue(dev), parse.GetValue(test),
            parse.GetValue(seed), parse.GetValue(output)!, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return synth;
    }

    private static Option<int> NonNegative(string name, string description)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => 0 };
        option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError($"{name} must not be negative"); });
        return option;
    }

    private static int Run(string taskName, int count, int dev, int test, ulong seed, string folder, TextWriter output, TextWriter error)
    {
        var task = SyntheticTasks.Get(taskName);
        SyntheticSplits splits;
        try
        {
            splits = SyntheticCorpus.GenerateSplits(task, count, dev, test, seed);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"encdec: {e.Message} (see 'encdec data synth --help')");
            return ExitCodes.Usage;
        }
        output.WriteLine($"task {task.Name}: {task.Description}; seed {seed}");
        foreach (var (name, pairs) in new[] { ("train", splits.Train), ("dev", splits.Dev), ("test", splits.Test) })
        {
            if (pairs.Count == 0) continue;
            var (source, target) = SyntheticCorpus.Write(pairs, folder, name);
            int sourceTypes = pairs.SelectMany(p => p.Source.Split(' ')).Distinct().Count();
            int targetTypes = pairs.SelectMany(p => p.Target.Split(' ')).Distinct().Count();
            output.WriteLine($"{name}: {pairs.Count} pairs ({sourceTypes} source and {targetTypes} target token types) -> {source}, {target}");
        }
        return ExitCodes.Success;
    }
}
