using System.Globalization;
using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// Reads an <see cref="OptimizerState"/> against the parameters it must fit, checking the kind, every
/// buffer length and that no key is left over, so a checkpoint from another model fails loudly.
/// </summary>
internal sealed class OptimizerStateReader
{
    private readonly OptimizerState _state;
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly HashSet<string> _unread;

    public OptimizerStateReader(OptimizerState state, string expectedKind, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != expectedKind)
            throw new InvalidDataException($"optimizer state of kind '{state.Kind}' cannot be loaded into a '{expectedKind}' optimizer");
        _state = state;
        _parameters = parameters;
        _unread = [.. state.Buffers.Keys, .. state.Counters.Keys];
        foreach (var key in _unread) CheckIndex(key);
    }

    /// <summary>Counter <paramref name="name"/> of parameter <paramref name="index"/>, or 0 when absent.</summary>
    public long Counter(int index, string name)
    {
        string key = OptimizerState.Key(index, name);
        if (!_state.Counters.TryGetValue(key, out long value)) return 0;
        _unread.Remove(key);
        if (value < 0) throw new InvalidDataException($"optimizer state counter '{key}' is negative ({value})");
        return value;
    }

    /// <summary>A copy of buffer <paramref name="name"/> of parameter <paramref name="index"/>, which must hold
    /// <paramref name="length"/> values; null when absent and not <paramref name="required"/>.</summary>
    public float[]? Buffer(int index, string name, int length, bool required)
    {
        string key = OptimizerState.Key(index, name);
        if (!_state.Buffers.TryGetValue(key, out var values))
        {
            if (required)
                throw new InvalidDataException($"optimizer state lacks buffer '{key}' for parameter {Describe(index)}");
            return null;
        }
        _unread.Remove(key);
        if (values.Length != length)
            throw new InvalidDataException(
                $"optimizer state buffer '{key}' holds {values.Length} values but parameter {Describe(index)} needs {length}");
        return (float[])values.Clone();
    }

    /// <summary>Throws when a key was not consumed: a buffer this optimiser's settings do not use.</summary>
    public void EnsureAllRead()
    {
        if (_unread.Count > 0)
            throw new InvalidDataException(
                $"optimizer state has keys this '{_state.Kind}' optimizer does not use: {string.Join(", ", _unread.Order())}");
    }

    private string Describe(int index) => $"{index} {_parameters[index].Describe()}";

    private void CheckIndex(string key)
    {
        int dot = key.IndexOf('.');
        if (dot <= 0 || !int.TryParse(key.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new InvalidDataException($"optimizer state key '{key}' does not start with a parameter index");
        if (index >= _parameters.Count)
            throw new InvalidDataException(
                $"optimizer state key '{key}' refers to parameter {index}, but the optimizer has {_parameters.Count} parameters");
    }
}
