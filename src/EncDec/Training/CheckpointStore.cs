using System.Globalization;
using EncDec.Interop;
using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// The resumable checkpoints of a run, one folder each under <c>OUTPUT/checkpoints/step-NNNNNNNN/</c>:
/// <c>config.json</c> and <c>model.safetensors</c> (as in a model folder), <c>optimizer.safetensors</c> (moment
/// buffers), <c>ema.safetensors</c> when an average is kept, and <c>state.json</c> (<see cref="TrainingState"/>).
/// A checkpoint is written into a hidden temporary folder and renamed into place, so a crash at any moment
/// leaves either the complete folder or none; temporary leftovers are removed when the store opens.
/// Retention keeps the last checkpoint and the best <c>keepBest</c> by validation score.
/// </summary>
public sealed class CheckpointStore
{
    private const string Prefix = "step-";

    /// <summary>A store over <paramref name="folder"/> (created if missing); removes half-written leftovers.</summary>
    public CheckpointStore(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        foreach (string leftover in Directory.GetDirectories(Folder, ".*.tmp")) Directory.Delete(leftover, recursive: true);
    }

    /// <summary>The checkpoints folder.</summary>
    public string Folder { get; }

    /// <summary>Steps of the complete checkpoints present, ascending.</summary>
    public IReadOnlyList<long> Steps() =>
        [.. Directory.GetDirectories(Folder, Prefix + "*")
            .Select(d => long.TryParse(Path.GetFileName(d)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s : -1)
            .Where(s => s >= 0 && File.Exists(Path.Combine(PathOf(s), "state.json")))
            .Order()];

    /// <summary>The folder of the checkpoint after <paramref name="step"/> updates.</summary>
    public string PathOf(long step) => Path.Combine(Folder, $"{Prefix}{step:D8}");

    /// <summary>Writes a checkpoint atomically (replacing one of the same step).</summary>
    public void Save(EncoderDecoderModel model, ModelConfig config, IReadOnlyDictionary<string, float[]> optimizerBuffers,
        IReadOnlyDictionary<string, float[]>? ema, TrainingState state)
    {
        string final = PathOf(state.Step);
        string temporary = Path.Combine(Folder, $".{Path.GetFileName(final)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temporary);
            config.Save(Path.Combine(temporary, ModelFolder.ConfigFileName));
            CheckpointLoader.Save(model, Path.Combine(temporary, ModelFolder.WeightsFileName));
            WriteBuffers(Path.Combine(temporary, "optimizer.safetensors"), optimizerBuffers);
            if (ema is not null) WriteBuffers(Path.Combine(temporary, "ema.safetensors"), ema);
            state.Save(Path.Combine(temporary, "state.json"));
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temporary, final);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Loads the checkpoint of <paramref name="step"/> into <paramref name="model"/> and returns its state,
    /// optimiser buffers and EMA tensors (null when it has none).</summary>
    /// <exception cref="InvalidDataException">A file is missing, corrupt, or does not fit the model; the message names it.</exception>
    public (TrainingState State, Dictionary<string, float[]> OptimizerBuffers, Dictionary<string, float[]>? Ema) Load(long step, EncoderDecoderModel model)
    {
        string folder = PathOf(step);
        var state = TrainingState.Load(Path.Combine(folder, "state.json"));
        CheckpointLoader.Load(model, Path.Combine(folder, ModelFolder.WeightsFileName));
        var buffers = ReadAll(Path.Combine(folder, "optimizer.safetensors"));
        string emaPath = Path.Combine(folder, "ema.safetensors");
        return (state, buffers, File.Exists(emaPath) ? ReadAll(emaPath) : null);
    }

    /// <summary>Deletes every checkpoint except the last and the <paramref name="keepBest"/> best of <paramref name="validations"/>.</summary>
    public void Prune(IReadOnlyList<ValidationScore> validations, int keepBest, bool higherIsBetter)
    {
        var steps = Steps();
        if (steps.Count == 0) return;
        var keep = new HashSet<long> { steps[^1] };
        foreach (long step in Best(validations, keepBest, higherIsBetter)) keep.Add(step);
        foreach (long step in steps.Where(s => !keep.Contains(s)))
            Directory.Delete(PathOf(step), recursive: true);
    }

    /// <summary>The steps of the <paramref name="count"/> best scores, best first (earlier step on ties).</summary>
    public static IReadOnlyList<long> Best(IReadOnlyList<ValidationScore> validations, int count, bool higherIsBetter) =>
        [.. validations.OrderBy(v => higherIsBetter ? -v.Score : v.Score).ThenBy(v => v.Step).Take(count).Select(v => v.Step)];

    private static void WriteBuffers(string path, IReadOnlyDictionary<string, float[]> buffers) =>
        SafeTensorsWriter.Write(path, buffers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Key, Tensor.FromArray(b.Value, b.Value.Length))));

    private static Dictionary<string, float[]> ReadAll(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"checkpoint file '{path}' is missing");
        using var file = SafeTensorsFile.Open(path);
        return file.Entries.ToDictionary(e => e.Name, e => file.ReadTensor(e.Name).ToArray(), StringComparer.Ordinal);
    }
}
