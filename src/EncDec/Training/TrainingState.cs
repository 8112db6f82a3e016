using System.Text.Json;
using System.Text.Json.Serialization;
using EncDec.Data;
using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>One validation result, kept to choose the best checkpoints and to draw the curves.</summary>
/// <param name="Step">The update after which it was measured.</param>
/// <param name="Score">The value of the configured metric.</param>
public sealed record ValidationScore(long Step, double Score);

/// <summary>
/// The loop's position and counters, saved in each checkpoint's <c>state.json</c> beside the weights and the
/// optimiser buffers; with them, a resumed run draws the same batches and dropout masks and takes the same steps
/// as one that was never interrupted.
/// </summary>
/// <param name="Step">Optimiser updates done.</param>
/// <param name="Epoch">The epoch in progress (from 0).</param>
/// <param name="BatchesInEpoch">Mini-batches of that epoch already consumed.</param>
/// <param name="Rng">State of the generator that draws dropout masks and scheduled-sampling choices.</param>
/// <param name="OptimizerKind">Which optimiser wrote the buffers.</param>
/// <param name="OptimizerCounters">The optimiser's integer state (per-parameter step counts).</param>
/// <param name="Schedule">The learning-rate schedule's state (plateau counters).</param>
/// <param name="Validations">Every validation score so far.</param>
/// <param name="ValidationsWithoutImprovement">Early-stopping counter.</param>
/// <param name="TargetTokens">Target tokens trained on so far.</param>
/// <param name="ElapsedSeconds">Training wall time so far (excluding time between an interruption and the resume).</param>
public sealed record TrainingState(
    long Step,
    int Epoch,
    long BatchesInEpoch,
    RandomGeneratorState Rng,
    string OptimizerKind,
    IReadOnlyDictionary<string, long> OptimizerCounters,
    IReadOnlyDictionary<string, double> Schedule,
    IReadOnlyList<ValidationScore> Validations,
    int ValidationsWithoutImprovement,
    long TargetTokens,
    double ElapsedSeconds)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the state as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Reads a state written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON of this shape; the message names it.</exception>
    public static TrainingState Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: empty training state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: corrupt training state: {JsonErrors.Describe(e)}", e);
        }
    }
}
