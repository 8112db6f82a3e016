namespace EncDec.Kernels;

/// <summary>
/// Where <see cref="AttentionKernel"/> finds one batch of scaled dot-product attention over projected keys and
/// values, all addressed through element strides so that fused projection outputs (Q|K|V side by side) and
/// cache layouts are read in place. For row r, head h, query t, key j and feature d:
/// <code>
/// q(r, t, h, d)   = Q[r·QRow + t·QPosition + h·QHead + d]
/// k(r, j, h, d)   = K[s·KRow + h·KHead + j·KPosition + d]        s = KeyRows[r] when given, else r
///                 = K[s·KRow + h·KHead + d·KDepth + j]           when KeysTransposed (each head's keys stored
///                                                                 (headDim, keys), rows readable up to the next
///                                                                 multiple of 16 keys)
/// v(r, j, h, d)   = V[s·VRow + h·VHead + j·VPosition + d]
/// mask(r, j)      = Mask[s·Keys + j]                              nonzero: key j is padding
/// bias(r, h, t, j) = Bias[r·BiasRow + (h·Queries + t)·Keys + j]   added to the scores (BiasRow 0: shared by all rows)
/// out(r, t, h, d) = Out[r·OutRow + t·OutPosition + h·HeadDim + d]
/// weights(r, h, t, j) = Weights[r·WeightsRow + h·WeightsHead + t·Keys + j]
/// dropout(r, h, t, j) = Dropout[((r·Heads + h)·Queries + t)·Keys + j]   0 or 1/(1 - p), multiplies the weights
///                                                                  after they are copied out, before the sum
/// </code>
/// With <see cref="Causal"/>, query t sits at key position Keys - Queries + t and the keys after it are masked.
/// K and V hold <see cref="Format"/> elements (bfloat16 only with <see cref="KeysTransposed"/>); strides count elements.
/// Pointers are pinned by the caller for the duration of the call.
/// </summary>
internal unsafe struct AttentionProblem
{
    public int Rows, Heads, HeadDim, Queries, Keys;
    public float Scale;
    public bool KeysTransposed, Causal;
    public float* Q, Out, Mask, Bias, Weights, Dropout;
    public void* K, V;
    public KeyValueFormat Format;
    public long QRow, QPosition, QHead, KRow, KHead, KPosition, KDepth, VRow, VHead, VPosition, OutRow, OutPosition;
    public long BiasRow, WeightsRow, WeightsHead;
    public int* KeyRows;

    /// <summary>Keys stored transposed per (row, head): (rows, heads, headDim, <paramref name="depth"/>), depth a multiple
    /// of 16 at least <see cref="Keys"/>; the strides follow from <see cref="Heads"/> and <see cref="HeadDim"/>.</summary>
    public void KeysByDepth(void* keys, int depth)
    {
        K = keys;
        KeysTransposed = true;
        KDepth = depth;
        KHead = (long)HeadDim * depth;
        KRow = Heads * KHead;
    }

    /// <summary>Values stored (rows, <paramref name="positions"/>, heads · headDim), heads side by side in a position.</summary>
    public void ValuesByPosition(void* values, int positions)
    {
        V = values;
        VPosition = (long)Heads * HeadDim;
        VRow = positions * VPosition;
    }
}
