using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Multiplicative attention (Luong et al. 2015) with the dot, general or concat score, softmax over
/// source positions, context = Σ_j a_j h_j. Parameters (no biases, uniform ±1/√fanIn like PyTorch's Linear):
/// General: <c>key_layer.weight</c> W_a (queryDim, keyDim), as JoeyNMT; Concat: <c>concat_layer.weight</c>
/// W (queryDim, queryDim + keyDim) over [s; h_j] and <c>energy_layer.weight</c> v (1, queryDim); every kind:
/// <c>combine_layer.weight</c> W_c (queryDim, keyDim + queryDim) for <see cref="Combine"/>. Input feeding
/// (passing h̃_{t−1} into the next decoder step) is left to the decoder.
/// </summary>
public sealed class LuongAttention : Module
{
    private readonly Tensor? _keyWeight;      // General: (queryDim, keyDim)
    private readonly Tensor? _concatWeight;   // Concat: (queryDim, queryDim + keyDim)
    private readonly Tensor? _energyWeight;   // Concat: (1, queryDim)

    /// <summary>Creates the attention with weights drawn from <paramref name="rng"/>.</summary>
    public LuongAttention(LuongAttentionKind kind, int queryDim, int keyDim, RandomGenerator rng)
    {
        if (queryDim <= 0 || keyDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(queryDim), $"LuongAttention: sizes must be positive, got query {queryDim}, key {keyDim}");
        if (kind == LuongAttentionKind.Dot && queryDim != keyDim)
            throw new ArgumentException($"LuongAttention: the dot score needs equal query and key sizes, got query {queryDim}, key {keyDim}");
        Kind = kind;
        QueryDim = queryDim;
        KeyDim = keyDim;
        if (kind == LuongAttentionKind.General)
            _keyWeight = RegisterParameter("key_layer.weight", RnnShapes.UniformParameter(rng, 1f / MathF.Sqrt(keyDim), queryDim, keyDim));
        if (kind == LuongAttentionKind.Concat)
        {
            _concatWeight = RegisterParameter("concat_layer.weight",
                RnnShapes.UniformParameter(rng, 1f / MathF.Sqrt(queryDim + keyDim), queryDim, queryDim + keyDim));
            _energyWeight = RegisterParameter("energy_layer.weight", RnnShapes.UniformParameter(rng, 1f / MathF.Sqrt(queryDim), 1, queryDim));
        }
        CombineWeight = RegisterParameter("combine_layer.weight",
            RnnShapes.UniformParameter(rng, 1f / MathF.Sqrt(keyDim + queryDim), queryDim, keyDim + queryDim));
    }

    /// <summary>The score function.</summary>
    public LuongAttentionKind Kind { get; }

    /// <summary>Size of the decoder state s.</summary>
    public int QueryDim { get; }

    /// <summary>Size of each memory vector h_j.</summary>
    public int KeyDim { get; }

    /// <summary>W_c (queryDim, keyDim + queryDim) of <see cref="Combine"/>.</summary>
    public Tensor CombineWeight { get; }

    /// <summary>Size of the last axis of <see cref="PrecomputeKeys"/>' result: keyDim for Dot, queryDim otherwise.</summary>
    public int KeysDim => Kind == LuongAttentionKind.Dot ? KeyDim : QueryDim;

    /// <summary>The query-independent part of the score, computed once per source sentence.</summary>
    /// <param name="memory">(batch, srcLen, keyDim)</param>
    /// <returns>(batch, srcLen, <see cref="KeysDim"/>): h_j for Dot, W_a h_j for General, the h_j half of W [s; h_j] for Concat</returns>
    public Tensor PrecomputeKeys(Tensor memory)
    {
        RnnShapes.Expect(nameof(LuongAttention), "memory", memory, -1, -1, KeyDim);
        return Kind switch
        {
            LuongAttentionKind.Dot => memory,
            LuongAttentionKind.General => memory.MatMul(_keyWeight!, transposeB: true),
            _ => memory.MatMul(_concatWeight!.Narrow(1, QueryDim, KeyDim), transposeB: true),
        };
    }

    /// <summary>Attends from one decoder state over the memory.</summary>
    /// <param name="query">s (batch, queryDim)</param>
    /// <param name="memory">h (batch, srcLen, keyDim)</param>
    /// <param name="keys">from <see cref="PrecomputeKeys"/> (batch, srcLen, KeysDim), or null to compute them here</param>
    /// <param name="mask">(batch, srcLen), nonzero = pad (never attended); or null</param>
    /// <returns>context (batch, keyDim) and weights (batch, srcLen), each row summing to 1</returns>
    public (Tensor Context, Tensor Weights) Forward(Tensor query, Tensor memory, Tensor? keys = null, Tensor? mask = null)
    {
        keys ??= PrecomputeKeys(memory);
        RnnAttentionMath.Check(nameof(LuongAttention), query, QueryDim, memory, KeyDim, keys, KeysDim, mask);
        int batch = query.Shape[0];
        Tensor scores;                                                                 // (batch, srcLen, 1)
        if (Kind == LuongAttentionKind.Concat)
        {
            var projectedQuery = query.MatMul(_concatWeight!.Narrow(1, 0, QueryDim), transposeB: true)
                .Reshape(batch, 1, QueryDim);                                          // (batch, 1, queryDim)
            scores = (keys + projectedQuery).Tanh().MatMul(_energyWeight!, transposeB: true);
        }
        else
        {
            scores = keys.MatMul(query.Reshape(batch, QueryDim, 1));
        }
        return RnnAttentionMath.Attend(scores, memory, mask);
    }

    /// <summary>The attentional hidden state h̃ = tanh(W_c [c; s]) (Luong et al. 2015, eq. 5).</summary>
    /// <param name="context">c (batch, keyDim)</param>
    /// <param name="query">s (batch, queryDim)</param>
    /// <returns>h̃ (batch, queryDim)</returns>
    public Tensor Combine(Tensor context, Tensor query)
    {
        RnnShapes.Expect(nameof(LuongAttention), "context", context, -1, KeyDim);
        RnnShapes.Expect(nameof(LuongAttention), "query", query, context.Shape[0], QueryDim);
        return TensorOps.Concat(1, context, query).MatMul(CombineWeight, transposeB: true).Tanh();
    }
}
