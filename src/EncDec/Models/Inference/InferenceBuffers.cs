namespace EncDec.Models.Inference;

/// <summary>
/// Scratch of one frozen forward pass over <c>rows</c> positions: the normalised input h, the projections,
/// the attention context and the feed-forward hidden layer. Grown on demand and reused across steps, so a
/// decoding step allocates only its token embedding and its logits (both pooled inside a <see cref="Tensors.TensorScope"/>).
/// </summary>
internal sealed class InferenceBuffers
{
    private float[] _residual = [], _normalized = [], _projection = [], _context = [], _hidden = [], _gate = [];

    /// <summary>(rows, dModel) the residual stream of a decoding step.</summary>
    public Span<float> Residual(int floats) => Get(ref _residual, floats);

    /// <summary>(rows, dModel) normalised input of a sub-block.</summary>
    public Span<float> Normalized(int floats) => Get(ref _normalized, floats);

    /// <summary>(rows, 3 · inner) at most: Q|K|V, or Q.</summary>
    public Span<float> Projection(int floats) => Get(ref _projection, floats);

    /// <summary>(rows, inner) attention output before the output projection.</summary>
    public Span<float> Context(int floats) => Get(ref _context, floats);

    /// <summary>(rows, ffnDim) hidden layer of the feed-forward block.</summary>
    public Span<float> Hidden(int floats) => Get(ref _hidden, floats);

    /// <summary>(rows, ffnDim) gate of a gated feed-forward block.</summary>
    public Span<float> Gate(int floats) => Get(ref _gate, floats);

    private static Span<float> Get(ref float[] buffer, int floats)
    {
        if (buffer.Length < floats) buffer = GC.AllocateUninitializedArray<float>(floats);
        return buffer.AsSpan(0, floats);
    }
}
