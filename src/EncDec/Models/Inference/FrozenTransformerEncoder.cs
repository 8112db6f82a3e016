using EncDec.Kernels;
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
        int batch = embedded.Dim(0), srcLen = embedded.Dim(1), dModel = embedded.Dim(2);
        var memory = Tensor.Allocate([batch, srcLen, dModel]);
        StridedCopy.ToDense(embedded, memory.AsSpan());
        var mask = Dense(paddingMask).ToArray();
        var bias = positionBias is null ? null : Dense(positionBias).ToArray();
        var work = t_sentences ??= new EncodeSentences();
        work.Set(this, memory, mask, bias, srcLen, dModel);
        try
        {
            // Sentences are independent: with enough of them each thread carries its own through every layer in one
            // parallel region (kernels inside run serially) instead of meeting the others in every kernel; with more
            // threads than groups of SentencesPerThread sentences, one thread per group (see FrozenTransformerDecoder.Step).
            int threads = Math.Min(Parallelism.ThreadCount, batch / SentencesPerThread);
            ParallelRunner.For(batch, work, threads >= 2 ? threads : 1);
        }
        finally
        {
            work.Set(null, null, null, null, 0, 0);
        }
        return new EncoderOutput(memory, paddingMask, []);
    }

    /// <summary>Sentences per thread from which encoding splits sentences across threads rather than inside each kernel.</summary>
    internal const int SentencesPerThread = 4;

    [ThreadStatic] private static EncodeSentences? t_sentences;

    /// <summary>Sentences [first, first + count) of x (batch · srcLen, dModel) through every layer, in place.</summary>
    private void EncodeRange(int first, int count, Span<float> x, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias,
        int srcLen, int dModel)
    {
        int rows = count * srcLen;
        var mine = x.Slice(first * srcLen * dModel, rows * dModel);
        var myMask = mask.Slice(first * srcLen, rows);
        var buffers = t_buffers ??= new InferenceBuffers();   // per thread: ranges never share scratch
        foreach (var layer in _layers) layer.Forward(count, srcLen, mine, myMask, bias, buffers);
        _finalNorm?.Apply(mine, mine, rows);
        for (int position = 0; position < rows; position++)
            if (myMask[position] != 0f) mine.Slice(position * dModel, dModel).Clear();
    }

    private sealed class EncodeSentences : IParallelWork
    {
        private FrozenTransformerEncoder? _encoder;
        private Tensor? _memory;
        private float[]? _mask, _bias;
        private int _srcLen, _dModel;

        public void Set(FrozenTransformerEncoder? encoder, Tensor? memory, float[]? mask, float[]? bias, int srcLen, int dModel) =>
            (_encoder, _memory, _mask, _bias, _srcLen, _dModel) = (encoder, memory, mask, bias, srcLen, dModel);

        public void Execute(int begin, int end) =>
            _encoder!.EncodeRange(begin, end - begin, _memory!.AsSpan(), _mask, _bias, _srcLen, _dModel);
    }

    private static ReadOnlySpan<float> Dense(Tensor tensor) => tensor.IsContiguous ? tensor.AsSpan() : tensor.Contiguous().AsSpan();
}
