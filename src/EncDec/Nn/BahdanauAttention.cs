using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Additive attention (Bahdanau et al. 2015): score(s, h_j) = vᵀ tanh(W_q s + W_k h_j), softmax over
/// source positions, context = Σ_j a_j h_j. Parameters carry JoeyNMT's names: <c>key_layer.weight</c>
/// W_k (attnDim, keyDim), <c>query_layer.weight</c> W_q (attnDim, queryDim), <c>energy_layer.weight</c>
/// v (1, attnDim); no biases. Initialised as PyTorch's Linear, uniform ±1/√fanIn.
/// </summary>
public sealed class BahdanauAttention : Module
{
    /// <summary>Creates the attention with weights drawn from <paramref name="rng"/>.</summary>
    public BahdanauAttention(int queryDim, int keyDim, int attnDim, RandomGenerator rng)
    {
        if (queryDim <= 0 || keyDim <= 0 || attnDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(queryDim),
                $"BahdanauAttention: sizes must be positive, got query {queryDim}, key {keyDim}, attn {attnDim}");
        QueryDim = queryDim;
        KeyDim = keyDim;
        AttnDim = attnDim;
        KeyWeight = RegisterParameter("key_layer.weight", RnnShapes.UniformParameter(rng, 1f / MathF.Sqrt(keyDim), attnDim, keyDim));
        QueryWeight = RegisterParameter("query_layer.weight", RnnShapes.UniformParameter(rng, 1f / MathF.Sqrt(queryDim), attnDim, queryDim));
        EnergyWeight = RegisterParameter("energy_layer.weight", RnnShapes.UniformParameter(rng, 1f / MathF.Sqrt(attnDim), 1, attnDim));
    }

    /// <summary>Size of the decoder state s.</summary>
    public int QueryDim { get; }

    /// <summary>Size of each memory vector h_j.</summary>
    public int KeyDim { get; }

    /// <summary>Size of the hidden layer inside the score.</summary>
    public int AttnDim { get; }

    /// <summary>W_k (attnDim, keyDim)</summary>
    public Tensor KeyWeight { get; }

    /// <summary>W_q (attnDim, queryDim)</summary>
    public Tensor QueryWeight { get; }

    /// <summary>v (1, attnDim)</summary>
    public Tensor EnergyWeight { get; }

    /// <summary>W_k h_j for every source position, computed once per source sentence and reused at every decoder step.</summary>
    /// <param name="memory">(batch, srcLen, keyDim)</param>
    /// <returns>(batch, srcLen, attnDim)</returns>
    public Tensor PrecomputeKeys(Tensor memory)
    {
        RnnShapes.Expect(nameof(BahdanauAttention), "memory", memory, -1, -1, KeyDim);
        return memory.MatMul(KeyWeight, transposeB: true);
    }

    /// <summary>Attends from one decoder state over the memory.</summary>
    /// <param name="query">s (batch, queryDim)</param>
    /// <param name="memory">h (batch, srcLen, keyDim)</param>
    /// <param name="keys">from <see cref="PrecomputeKeys"/> (batch, srcLen, attnDim), or null to compute them here</param>
    /// <param name="mask">(batch, srcLen), nonzero = pad (never attended); or null</param>
    /// <returns>context (batch, keyDim) and weights (batch, srcLen), each row summing to 1</returns>
    public (Tensor Context, Tensor Weights) Forward(Tensor query, Tensor memory, Tensor? keys = null, Tensor? mask = null)
    {
        keys ??= PrecomputeKeys(memory);
        RnnAttentionMath.Check(nameof(BahdanauAttention), query, QueryDim, memory, KeyDim, keys, AttnDim, mask);
        int batch = query.Shape[0];
        var projectedQuery = query.MatMul(QueryWeight, transposeB: true).Reshape(batch, 1, AttnDim);   // (batch, 1, attnDim)
        var energies = (keys + projectedQuery).Tanh();                                                  // (batch, srcLen, attnDim)
        var scores = energies.MatMul(EnergyWeight, transposeB: true);                                   // (batch, srcLen, 1)
        return RnnAttentionMath.Attend(scores, memory, mask);
    }
}
