using EncDec.Kernels;
using EncDec.Nn;

namespace EncDec.Models.Inference;

/// <summary>
/// A <see cref="MultiHeadAttention"/> frozen for inference: for self-attention one fused Q|K|V projection,
/// for cross-attention a Q projection and a fused K|V projection of the memory; the output projection adds
/// onto the residual stream. The attention itself runs in <see cref="AttentionKernel"/> on the projections
/// as they lie, heads side by side within a position (inner = heads · headDim).
/// </summary>
internal sealed class FrozenAttention
{
    public FrozenAttention(MultiHeadAttention attention, bool cross, InferencePrecision precision)
    {
        Heads = attention.Heads;
        HeadDim = attention.HeadDim;
        Inner = Heads * HeadDim;
        Scale = attention.Scaled ? 1f / MathF.Sqrt(HeadDim) : 1f;
        if (cross)
        {
            Query = new FrozenLinear(precision, attention.QProj);
            KeyValue = new FrozenLinear(precision, attention.KProj, attention.VProj);
        }
        else
        {
            QueryKeyValue = new FrozenLinear(precision, attention.QProj, attention.KProj, attention.VProj);
        }
        Output = new FrozenLinear(precision, attention.OutProj);
    }

    public int Heads { get; }

    public int HeadDim { get; }

    /// <summary>heads · headDim: the width of Q, K and V.</summary>
    public int Inner { get; }

    public float Scale { get; }

    /// <summary>Self-attention: dModel → (Q | K | V), 3 · inner.</summary>
    public FrozenLinear? QueryKeyValue { get; }

    /// <summary>Cross-attention: dModel → Q, inner.</summary>
    public FrozenLinear? Query { get; }

    /// <summary>Cross-attention: memory dModel → (K | V), 2 · inner.</summary>
    public FrozenLinear? KeyValue { get; }

    /// <summary>inner → dModel.</summary>
    public FrozenLinear Output { get; }

    /// <summary>A problem with this layer's heads and scale; the caller fills in the operands.</summary>
    public AttentionProblem Problem(int rows, int queries, int keys) => new()
    {
        Rows = rows, Heads = Heads, HeadDim = HeadDim, Queries = queries, Keys = keys, Scale = Scale, QHead = HeadDim, KHead = HeadDim, VHead = HeadDim,
    };
}
