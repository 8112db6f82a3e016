namespace EncDec.Training;

/// <summary>
/// A snapshot of an optimiser's (or an <see cref="ExponentialMovingAverage"/>'s) state for checkpoints.
/// </summary>
/// <param name="Kind">Which optimiser wrote it: <c>sgd</c>, <c>adam</c>, <c>adamw</c>, <c>adafactor</c> or <c>ema</c>.</param>
/// <param name="Buffers">Per-parameter buffers keyed <c>{parameter index}.{name}</c>, e.g. <c>0.exp_avg</c>;
/// each is the parameter's buffer flattened row-major.</param>
/// <param name="Counters">Integer counters keyed the same way, e.g. <c>0.step</c>.</param>
public sealed record OptimizerState(string Kind, IReadOnlyDictionary<string, float[]> Buffers, IReadOnlyDictionary<string, long> Counters)
{
    /// <summary>The key of buffer or counter <paramref name="name"/> of parameter <paramref name="index"/>.</summary>
    public static string Key(int index, string name) => $"{index}.{name}";
}
