using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// An exponential moving average of parameter values (Polyak averaging, as Marian's
/// <c>--exponential-smoothing</c> and timm's ModelEma): shadow ← decay·shadow + (1 − decay)·param after
/// each optimiser step. The shadow starts as a copy of the parameters. Evaluate or save with the
/// averaged weights inside <c>using (ema.Apply())</c>.
/// </summary>
public sealed class ExponentialMovingAverage
{
    /// <summary>The <see cref="OptimizerState.Kind"/> this average exports.</summary>
    public const string Kind = "ema";

    private readonly Tensor[] _parameters;
    private readonly float[][] _shadow;
    private SwapBack? _applied;

    /// <summary>An average over <paramref name="parameters"/> (contiguous tensors), starting at their current values.</summary>
    /// <param name="parameters">The tensors to average.</param>
    /// <param name="decay">Weight of the old average per update, in [0, 1).</param>
    public ExponentialMovingAverage(IReadOnlyList<Tensor> parameters, float decay = 0.9999f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay must be in [0, 1)");
        _parameters = [.. parameters];
        _shadow = new float[_parameters.Length][];
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (!_parameters[i].IsContiguous) throw new ArgumentException($"parameter {i} {_parameters[i].Describe()} must be contiguous");
            _shadow[i] = _parameters[i].AsSpan().ToArray();
        }
        Decay = decay;
    }

    /// <summary>Weight of the old average per update.</summary>
    public float Decay { get; }

    /// <summary>How many times <see cref="Update"/> has run (restored by <see cref="ImportState"/>).</summary>
    public long Updates { get; private set; }

    /// <summary>True while the averaged weights are swapped into the parameters.</summary>
    public bool IsApplied => _applied is not null;

    /// <summary>shadow ← decay·shadow + (1 − decay)·param for every parameter; allocates nothing.</summary>
    public void Update()
    {
        ThrowIfApplied(nameof(Update));
        for (int i = 0; i < _parameters.Length; i++)
        {
            var shadow = _shadow[i].AsSpan();
            var live = _parameters[i].AsSpan();
            for (int start = 0; start < shadow.Length; start += Adam.BlockSize)   // two passes per block, in cache
            {
                int length = Math.Min(Adam.BlockSize, shadow.Length - start);
                var block = shadow.Slice(start, length);
                TensorPrimitives.Multiply(block, Decay, block);
                TensorPrimitives.MultiplyAdd(live.Slice(start, length), 1f - Decay, block, block);
            }
        }
        Updates++;
    }

    /// <summary>Swaps the averaged weights into the parameters until the returned handle is disposed,
    /// which swaps the training weights back exactly.</summary>
    public IDisposable Apply()
    {
        ThrowIfApplied(nameof(Apply));
        Swap();
        return _applied = new SwapBack(this);
    }

    /// <summary>Writes the averaged weights into <paramref name="destination"/>, e.g. another model's parameters
    /// in the same order and shapes.</summary>
    /// <param name="destination">Contiguous tensors with the same shapes as the averaged parameters.</param>
    public void CopyTo(IReadOnlyList<Tensor> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Count != _parameters.Length)
            throw new ArgumentException($"destination has {destination.Count} tensors but the average covers {_parameters.Length}", nameof(destination));
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (!destination[i].Shape.SequenceEqual(_parameters[i].Shape))
                throw new ShapeMismatchException("ExponentialMovingAverage.CopyTo", destination[i].Shape, _parameters[i].Shape,
                    $"destination {i} {destination[i].Describe()} must match parameter {_parameters[i].Describe()}");
            // While applied, the averaged weights live in the parameters and the shadow holds the training ones.
            ReadOnlySpan<float> averaged = IsApplied ? _parameters[i].AsSpan() : _shadow[i];
            if (!ReferenceEquals(destination[i], _parameters[i])) averaged.CopyTo(destination[i].AsSpan());
        }
    }

    /// <summary>Buffers <c>{i}.shadow</c> and counter <c>updates</c>.</summary>
    public OptimizerState ExportState()
    {
        ThrowIfApplied(nameof(ExportState));
        var buffers = new Dictionary<string, float[]>();
        for (int i = 0; i < _parameters.Length; i++) buffers[OptimizerState.Key(i, "shadow")] = (float[])_shadow[i].Clone();
        return new OptimizerState(Kind, buffers, new Dictionary<string, long> { ["updates"] = Updates });
    }

    /// <summary>Restores the shadow weights and update count from <paramref name="state"/>.</summary>
    /// <exception cref="InvalidDataException">The kind, a key or a buffer length does not fit these parameters.</exception>
    public void ImportState(OptimizerState state)
    {
        ThrowIfApplied(nameof(ImportState));
        ArgumentNullException.ThrowIfNull(state);
        var counters = state.Counters.Where(pair => pair.Key != "updates").ToDictionary();
        var reader = new OptimizerStateReader(state with { Counters = counters }, Kind, _parameters);
        var shadow = new float[_parameters.Length][];
        for (int i = 0; i < _parameters.Length; i++) shadow[i] = reader.Buffer(i, "shadow", _parameters[i].Count, required: true)!;
        reader.EnsureAllRead();
        shadow.CopyTo(_shadow, 0);
        Updates = state.Counters.GetValueOrDefault("updates");
    }

    private void Swap()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var live = _parameters[i].AsSpan();
            var shadow = _shadow[i].AsSpan();
            for (int j = 0; j < live.Length; j++) (live[j], shadow[j]) = (shadow[j], live[j]);
        }
    }

    private void ThrowIfApplied(string operation)
    {
        if (IsApplied)
            throw new InvalidOperationException($"ExponentialMovingAverage.{operation}: the averaged weights are applied; dispose the Apply() handle first");
    }

    /// <summary>Swaps the training weights back once, on the first Dispose.</summary>
    private sealed class SwapBack(ExponentialMovingAverage owner) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            owner.Swap();
            owner._applied = null;
        }
    }
}
