using System.Diagnostics;
using EncDec.Cli;
using EncDec.Models;
using EncDec.Tests.Training;
using EncDec.Training;

namespace EncDec.Tests.Cli;

/// <summary><c>encdec train</c>: its help, errors and exit codes in-process, and crash safety with a real process kill.</summary>
public sealed class TrainCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Help_ShowsOptionsAndExamples()
    {
        var (code, output, _) = Run("train", "--help");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("--config", output);
        Assert.Contains("--resume", output);
        Assert.Contains("encdec train --config run.yaml training.max_steps=2000", output);
    }

    [Fact]
    public void UnknownSetting_IsAUsageError_NamingTheKey()
    {
        using var kit = new TrainingRunKit(trainPairs: 20, devPairs: 5);
        var (code, _, error) = Run(["train", .. kit.Settings("optimizer.learnig_rate=0.1")]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("optimizer.learnig_rate", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void MissingConfigFile_IsADataError()
    {
        var (code, _, error) = Run("train", "--config", "/nonexistent/run.yaml");
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains("/nonexistent/run.yaml", error);
    }

    [Fact]
    public void MissingTrainingFile_IsADataError_NamingIt()
    {
        using var kit = new TrainingRunKit(trainPairs: 20, devPairs: 5);
        var (code, _, error) = Run(["train", .. kit.Settings("data.train_source=/nonexistent/train.src")]);
        Assert.Equal(ExitCodes.Data, code);
        Assert.Contains("/nonexistent/train.src", error);
    }

    [Fact]
    public void TrainsFromARunFile_WithOverrides()
    {
        using var kit = new TrainingRunKit(trainPairs: 100, devPairs: 10);
        string runFile = kit.WriteRunFile("run.yaml");
        var (code, output, error) = Run("train", "--config", runFile, "--quiet", "training.max_steps=4", "validation.every=2");
        Assert.True(code == ExitCodes.Success, error);
        Assert.StartsWith("done: step 4", output.Trim());
        Assert.True(File.Exists(Path.Combine(kit.Output, "model", ModelFolder.ConfigFileName)));
    }

    /// <summary>
    /// Kills a training process (SIGKILL, no chance to clean up) once it has written a few checkpoints, resumes it,
    /// and checks the final weights and optimiser state equal those of a run that was never interrupted; both runs are
    /// child processes so they share the default thread count.
    /// </summary>
    [Fact]
    public void KilledRun_ResumesToTheWeightsOfAnUninterruptedRun()
    {
        using var kit = new TrainingRunKit(trainPairs: 1500, devPairs: 20);
        const int steps = 1500;
        string runFile = kit.WriteRunFile("run.yaml", $"training.max_steps={steps}", "training.checkpoint_every=20", "validation.every=500");
        string straight = Path.Combine(kit.Folder, "straight"), killed = Path.Combine(kit.Folder, "killed");

        Assert.Equal(0, RunProcess(runFile, straight, resume: false));

        using (var process = StartProcess(runFile, killed, resume: false))
        {
            var store = Path.Combine(killed, "checkpoints");
            var clock = Stopwatch.StartNew();
            // Only list the folder: opening a CheckpointStore would clean up the writer's temporary folder under it.
            while (!(Directory.Exists(store) && Directory.GetDirectories(store, "step-*").Any(d => long.Parse(Path.GetFileName(d)[5..]) >= 100)))
            {
                Assert.False(process.HasExited, "training finished before it could be killed; make the run longer");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no checkpoint appeared");
                Thread.Sleep(10);
            }
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var afterKill = new CheckpointStore(Path.Combine(killed, "checkpoints"));
        Assert.True(afterKill.Steps()[^1] < steps, "the kill came too late");
        foreach (long step in afterKill.Steps())
        {
            string folder = afterKill.PathOf(step);
            foreach (string file in new[] { "config.json", "model.safetensors", "optimizer.safetensors", "state.json" })
                Assert.True(File.Exists(Path.Combine(folder, file)), $"{folder} lacks {file}");
            Assert.Equal(step, TrainingState.Load(Path.Combine(folder, "state.json")).Step);
        }

        Assert.Equal(0, RunProcess(runFile, killed, resume: true));

        string Final(string output) => new CheckpointStore(Path.Combine(output, "checkpoints")).PathOf(steps);
        foreach (string file in new[] { "model.safetensors", "optimizer.safetensors" })
            Assert.True(File.ReadAllBytes(Path.Combine(Final(straight), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(Final(killed), file))),
                $"{file} differs after the resume");
    }

    private static Process StartProcess(string runFile, string output, bool resume)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "EncDec.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[cli, "train", "--config", runFile, "--quiet", $"output={output}"]) start.ArgumentList.Add(arg);
        if (resume) start.ArgumentList.Add("--resume");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int RunProcess(string runFile, string output, bool resume)
    {
        using var process = StartProcess(runFile, output, resume);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "training process hung");
        return process.ExitCode;
    }
}
