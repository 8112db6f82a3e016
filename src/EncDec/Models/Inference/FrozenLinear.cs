using EncDec.Kernels;
using EncDec.Nn;

namespace EncDec.Models.Inference;

/// <summary>
/// One or more <see cref="Linear"/> layers applied to the same input, frozen for inference: their weights
/// stacked into one packed matrix (so Q, K and V, or K and V, are one GEMM), their biases into one vector.
/// The matrix is float32 (<see cref="PackedMatrix"/>) or int8 (<see cref="QuantizedMatrix"/>) as the
/// <see cref="InferencePrecision"/> asks. A snapshot: later changes to the layers' parameters are not seen.
/// </summary>
internal sealed class FrozenLinear
{
    private readonly PackedMatrix? _weight;
    private readonly QuantizedMatrix? _quantized;
    private readonly float[]? _bias;

    /// <summary>Stacks <paramref name="layers"/> (all with the same input width) along the output.</summary>
    public FrozenLinear(InferencePrecision precision, params Linear[] layers)
    {
        if (layers.Length == 0) throw new ArgumentException("FrozenLinear: no layers", nameof(layers));
        InFeatures = layers[0].InFeatures;
        if (layers.Any(l => l.InFeatures != InFeatures))
            throw new ArgumentException("FrozenLinear: stacked layers must share their input width", nameof(layers));
        OutFeatures = layers.Sum(l => l.OutFeatures);
        var weight = layers.Length == 1 ? layers[0].Weight.AsSpan() : Stack(layers.Select(l => l.Weight.AsSpan().ToArray()));
        (_weight, _quantized) = Pack(precision, weight, OutFeatures, InFeatures);
        if (layers.Any(l => l.Bias is not null))
            _bias = Stack(layers.Select(l => l.Bias?.AsSpan().ToArray() ?? new float[l.OutFeatures]));
    }

    /// <summary>A projection by a (outFeatures, inFeatures) table, such as a tied embedding.</summary>
    public FrozenLinear(InferencePrecision precision, ReadOnlySpan<float> weight, int outFeatures, int inFeatures,
        ReadOnlySpan<float> bias = default)
    {
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        (_weight, _quantized) = Pack(precision, weight, outFeatures, inFeatures);
        if (!bias.IsEmpty) _bias = bias.ToArray();
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    /// <summary>y (rows, OutFeatures) = x (rows, InFeatures) · Wᵀ + b, plus y's old contents when
    /// <paramref name="accumulate"/> (a residual connection), then ReLU when <paramref name="relu"/>.</summary>
    public void Forward(int rows, ReadOnlySpan<float> x, Span<float> y, bool accumulate = false, bool relu = false)
    {
        if (_quantized is not null)
            QuantizedGemm.Multiply(rows, x, InFeatures, _quantized, y, OutFeatures, accumulate ? 1f : 0f, _bias, relu);
        else
            PackedGemm.Multiply(rows, x, InFeatures, _weight!, y, OutFeatures, accumulate ? 1f : 0f, _bias, relu);
    }

    private static (PackedMatrix?, QuantizedMatrix?) Pack(InferencePrecision precision, ReadOnlySpan<float> weight, int n, int k) =>
        precision switch
        {
            InferencePrecision.Float32 => (new PackedMatrix(weight, n, k), null),
            InferencePrecision.Int8 => (null, new QuantizedMatrix(weight, n, k)),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "FrozenLinear: unknown inference precision"),
        };

    private static float[] Stack(IEnumerable<float[]> parts) => parts.SelectMany(p => p).ToArray();
}
