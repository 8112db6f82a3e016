using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>The part every RNN attention shares: masked softmax over source positions and the weighted sum of memory.</summary>
internal static class RnnAttentionMath
{
    // A large finite fill rather than −∞: masked weights still underflow to exactly 0, and a row that is
    // entirely padding gives uniform weights instead of NaN.
    private const float MaskedScore = -1e9f;

    /// <summary>Checks query, memory, keys and mask against each other.</summary>
    public static void Check(string module, Tensor query, int queryDim, Tensor memory, int keyDim, Tensor keys, int keysDim, Tensor? mask)
    {
        RnnShapes.Expect(module, "query", query, -1, queryDim);
        int batch = query.Shape[0];
        RnnShapes.Expect(module, "memory", memory, batch, -1, keyDim);
        int sourceLength = memory.Shape[1];
        RnnShapes.Expect(module, "keys", keys, batch, sourceLength, keysDim);
        if (mask is not null) RnnShapes.Expect(module, "mask", mask, batch, sourceLength);
    }

    /// <param name="scores">(batch, srcLen, 1)</param>
    /// <param name="memory">(batch, srcLen, keyDim)</param>
    /// <param name="mask">(batch, srcLen), nonzero = pad; or null</param>
    /// <returns>context (batch, keyDim) and weights (batch, srcLen)</returns>
    public static (Tensor Context, Tensor Weights) Attend(Tensor scores, Tensor memory, Tensor? mask)
    {
        int batch = memory.Shape[0], sourceLength = memory.Shape[1], keyDim = memory.Shape[2];
        var flat = scores.Reshape(batch, sourceLength);
        if (mask is not null) flat = flat.MaskedFill(mask, MaskedScore);
        var weights = flat.Softmax(-1);                                                                // (batch, srcLen)
        var context = weights.Reshape(batch, 1, sourceLength).MatMul(memory).Reshape(batch, keyDim);   // (batch, keyDim)
        return (context, weights);
    }
}
