using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Learned absolute position embeddings: parameter <c>weight</c> (maxLength + offset, dim), initialised
/// N(0, 1) like <c>nn.Embedding</c>. Position p reads row p + offset; BART uses offset 2 (a quirk of
/// fairseq's padding-based positions), so its checkpoint tables have max_position_embeddings + 2 rows.
/// </summary>
public sealed class LearnedPositionalEmbedding : Module
{
    /// <summary>Creates the table and draws its initial values from <paramref name="rng"/>.</summary>
    /// <param name="maxLength">Number of usable positions (0 .. maxLength-1).</param>
    /// <param name="dim">Embedding size.</param>
    /// <param name="rng">Source of the initial values.</param>
    /// <param name="offset">Rows skipped before position 0 (BART: 2).</param>
    public LearnedPositionalEmbedding(int maxLength, int dim, RandomGenerator rng, int offset = 0)
    {
        if (maxLength <= 0 || dim <= 0 || offset < 0)
            throw new ArgumentOutOfRangeException(nameof(maxLength),
                $"LearnedPositionalEmbedding: need maxLength > 0, dim > 0, offset >= 0, got ({maxLength}, {dim}, {offset})");
        MaxLength = maxLength;
        Dim = dim;
        Offset = offset;
        Weight = RegisterParameter("weight",
            Initializers.Normal(Tensor.AllocateZeros([maxLength + offset, dim], persistent: true), rng));
    }

    /// <summary>Number of usable positions.</summary>
    public int MaxLength { get; }

    /// <summary>Embedding size.</summary>
    public int Dim { get; }

    /// <summary>Rows skipped before position 0.</summary>
    public int Offset { get; }

    /// <summary>(maxLength + offset, dim).</summary>
    public Tensor Weight { get; }

    /// <summary>The embeddings of positions start .. start+length-1 (rows start+offset ..).</summary>
    /// <param name="length">Number of positions.</param>
    /// <param name="start">First position, e.g. the number of tokens already decoded.</param>
    /// <returns>(length, dim)</returns>
    public Tensor Forward(int length, int start = 0)
    {
        if (length < 0 || start < 0 || start + length > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length),
                $"LearnedPositionalEmbedding: positions {start} .. {start + length - 1} (length {length}, start {start}) exceed maxLength {MaxLength}");
        return Weight.Narrow(0, start + Offset, length);
    }
}
