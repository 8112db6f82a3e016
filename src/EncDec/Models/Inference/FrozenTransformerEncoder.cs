using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models.Inference;

/// <summary>
/// The layers of a <see cref="TransformerEncoder"/> frozen for inference (gradients off, evaluation mode):
/// weights packed once, each layer updating one residual buffer in place with fused projections and
/// <see cref="Kernels.AttentionKernel"/>, no autograd records and no permuted copies. The encoder embeds the
/// tokens itself and hands the embedded batch here. Immutable once built (scratch is per thread), so threads may
/// share it.
/// </summary>
internal sealed class FrozenTransformerEncoder
{
    private readonly FrozenEncoderLayer[] _layers;
    private readonly FrozenNorm? _finalNorm;
    [ThreadStatic] private static InferenceBuffers? t_buffers;

    public FrozenTransformerEncoder(IEnumerable<TransformerEncoderLayer> layers, Module? finalNorm, InferencePrecision precision)
    {
        _layers = layers.Select(l => new FrozenEncoderLayer(l, precision)).ToArray();
        _finalNorm = finalNorm is null ? null : new FrozenNorm(finalNorm);
    }

    /// <summary>Runs the layers over the embedded sources.</summary>
    /// <param name="embedded">(batch, srcLen, dModel) embedded source tokens.</param>
    /// <param name="paddingMask">(batch, srcLen), nonzero at padding.</param>
    /// <param name="positionBias">(1, heads, srcLen, srcLen) relative-position bias, or null.</param>
    /// <returns>The memory (batch, srcLen, dModel), zero at padded positions.</returns>
    public EncoderOutput Encode(Tensor embedded, Tensor paddingMask, Tensor? positionBias)
    {
        int batch = embedded.Dim(0), srcLen = embedded.Dim(1), dModel = embedded.Dim(2), rows = batch * srcLen;
        var memory = Tensor.Allocate([batch, srcLen, dModel]);
        var x = memory.AsSpan();
        StridedCopy.ToDense(embedded, x);
        var mask = Dense(paddingMask);
        var bias = positionBias is null ? default : Dense(positionBias);
        var buffers = t_buffers ??= new InferenceBuffers();
        foreach (var layer in _layers) layer.Forward(batch, srcLen, x, mask, bias, buffers);
        _finalNorm?.Apply(x, x, rows);
        for (int position = 0; position < rows; position++)
            if (mask[position] != 0f) x.Slice(position * dModel, dModel).Clear();
        return new EncoderOutput(memory, paddingMask, []);
    }

    private static ReadOnlySpan<float> Dense(Tensor tensor) => tensor.IsContiguous ? tensor.AsSpan() : tensor.Contiguous().AsSpan();
}
