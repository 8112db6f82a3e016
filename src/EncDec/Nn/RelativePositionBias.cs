using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// T5's learned relative position bias: each (query i, key j) pair falls in a bucket of the relative
/// position j - i (exact for small distances, logarithmic up to maxDistance, then one bucket), and each
/// bucket holds one scalar per head, added to the attention scores. Parameter <c>weight</c>
/// (numBuckets, heads), as Hugging Face's <c>relative_attention_bias.weight</c>; initialised N(0, 1) like
/// <c>nn.Embedding</c> (checkpoints overwrite it).
/// </summary>
public sealed class RelativePositionBias : Module
{
    /// <summary>Creates the table and draws its initial values from <paramref name="rng"/>.</summary>
    /// <param name="heads">Number of attention heads.</param>
    /// <param name="rng">Source of the initial values.</param>
    /// <param name="bidirectional">True for the encoder (keys on both sides), false for decoder self-attention.</param>
    /// <param name="numBuckets">Number of buckets (T5: 32).</param>
    /// <param name="maxDistance">Distance from which every position shares the last bucket (T5: 128).</param>
    public RelativePositionBias(int heads, RandomGenerator rng, bool bidirectional, int numBuckets = 32, int maxDistance = 128)
    {
        int exactLimit = bidirectional ? numBuckets / 4 : numBuckets / 2;
        if (heads <= 0 || exactLimit <= 0 || maxDistance <= exactLimit)
            throw new ArgumentOutOfRangeException(nameof(numBuckets),
                $"RelativePositionBias: need heads > 0, numBuckets >= {(bidirectional ? 4 : 2)} and maxDistance > {exactLimit}, got heads {heads}, numBuckets {numBuckets}, maxDistance {maxDistance}");
        Heads = heads;
        NumBuckets = numBuckets;
        MaxDistance = maxDistance;
        Bidirectional = bidirectional;
        Weight = RegisterParameter("weight", Initializers.Normal(Tensor.AllocateZeros([numBuckets, heads], persistent: true), rng));
    }

    /// <summary>Number of heads.</summary>
    public int Heads { get; }

    /// <summary>Number of buckets.</summary>
    public int NumBuckets { get; }

    /// <summary>Distance from which positions share the last bucket.</summary>
    public int MaxDistance { get; }

    /// <summary>Whether keys before and after the query get separate buckets.</summary>
    public bool Bidirectional { get; }

    /// <summary>(numBuckets, heads).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias for queries at positions queryOffset .. queryOffset+queryLength-1 over keys 0 .. keyLength-1.</summary>
    /// <param name="queryLength">Number of queries.</param>
    /// <param name="keyLength">Number of keys.</param>
    /// <param name="queryOffset">Position of the first query (tokens already decoded).</param>
    /// <returns>(1, heads, queryLength, keyLength), to pass as MultiHeadAttention's positionBias.</returns>
    public Tensor Forward(int queryLength, int keyLength, int queryOffset = 0)
    {
        if (queryLength < 0 || keyLength < 0 || queryOffset < 0)
            throw new ArgumentOutOfRangeException(nameof(queryLength),
                $"RelativePositionBias: lengths and offset must be non-negative, got ({queryLength}, {keyLength}, {queryOffset})");
        var buckets = new int[queryLength * keyLength];
        for (int i = 0; i < queryLength; i++)
            for (int j = 0; j < keyLength; j++)
                buckets[i * keyLength + j] = Bucket(j - (i + queryOffset), Bidirectional, NumBuckets, MaxDistance);
        var values = Weight.Embedding(new IntTensor(buckets, queryLength, keyLength));   // (qLen, kLen, heads)
        return values.Permute(2, 0, 1).Reshape(1, Heads, queryLength, keyLength);
    }

    /// <summary>
    /// Hugging Face's <c>T5Attention._relative_position_bucket</c>: the bucket of relative position
    /// key - query. Bidirectional: half the buckets for keys after the query (offset numBuckets/2), half
    /// for the rest. Within a half of n buckets, distances below n/2 are exact, larger ones map to
    /// n/2 + ⌊log(d / (n/2)) / log(maxDistance / (n/2)) · (n - n/2)⌋, capped at n - 1. Computed in float
    /// as Hugging Face does in float32.
    /// </summary>
    /// <param name="relativePosition">key position - query position.</param>
    /// <param name="bidirectional">Whether keys after the query get their own buckets.</param>
    /// <param name="numBuckets">Total number of buckets.</param>
    /// <param name="maxDistance">Distance from which the last bucket is used.</param>
    public static int Bucket(int relativePosition, bool bidirectional, int numBuckets, int maxDistance)
    {
        int bucket = 0;
        int distance;
        if (bidirectional)
        {
            numBuckets /= 2;
            if (relativePosition > 0) bucket += numBuckets;
            distance = Math.Abs(relativePosition);
        }
        else distance = -Math.Min(relativePosition, 0);
        int maxExact = numBuckets / 2;
        if (distance < maxExact) return bucket + distance;
        float scaled = MathF.Log((float)distance / maxExact) / (float)Math.Log((double)maxDistance / maxExact) * (numBuckets - maxExact);
        return bucket + Math.Min(maxExact + (int)scaled, numBuckets - 1);
    }
}
