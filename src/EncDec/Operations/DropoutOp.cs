using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// Inverted dropout: y = x ⊙ m with m_i = 1/(1-p) with probability 1-p and 0 otherwise, so E[y] = x and
/// evaluation needs no rescaling. The scaled mask m is saved; backward: dx += dy ⊙ m.
/// </summary>
internal sealed class DropoutOp : Operation
{
    public static readonly DropoutOp Instance = new();
    public override string Name => "Dropout";

    public static Tensor Forward(Tensor x, float p, RandomGenerator rng, bool training)
    {
        if (!(p >= 0f && p < 1f))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: the drop probability must be in [0, 1) (input {x.Describe()})");
        ArgumentNullException.ThrowIfNull(rng);
        if (p == 0f || !training) return x;

        var mask = Factors(x.Shape, p, rng);
        var y = Tensor.Allocate(x.Shape);
        var output = y.AsSpan();
        StridedCopy.ToDense(x, output);
        TensorPrimitives.Multiply(output, mask.AsSpan(), output);
        if (y.Record(Instance, x)) y.Saved0 = mask;
        return y;
    }

    /// <summary>Fresh factors of <paramref name="shape"/>: 1/(1 - p) where kept (probability 1 - p), else 0.</summary>
    internal static Tensor Factors(ReadOnlySpan<int> shape, float p, RandomGenerator rng)
    {
        var mask = Tensor.Allocate(shape);
        var m = mask.AsSpan();
        rng.FillBernoulli(m, 1f - p);                          // 1 = kept, with probability 1 - p
        TensorPrimitives.Multiply(m, 1f / (1f - p), m);
        return mask;
    }

    public override void Backward(Tensor y)
    {
        // x's first gradient is written, not added to a buffer cleared first (one more pass, on one thread).
        var dx = y.Input0!.GradBufferForOverwrite(out bool fresh);
        BinaryKernel.ApplyOrAccumulate<MultiplyOperator>(y.Grad!.AsSpan(), y.Saved0!.AsSpan(), dx, accumulate: !fresh);
    }
}

public static partial class TensorOps
{
    /// <summary>
    /// Inverted dropout: each element of <paramref name="x"/> is zeroed with probability <paramref name="p"/>
    /// and the survivors are scaled by 1/(1-p). Returns <paramref name="x"/> itself (no copy, no draws) when
    /// p is 0 or <paramref name="training"/> is false. The mask draws one <see cref="RandomGenerator.NextSingle"/>
    /// per element in row-major order, so a fixed seed gives a fixed mask.
    /// </summary>
    /// <param name="x">Any shape; the result has the same shape.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="rng">Source of the mask.</param>
    /// <param name="training">False in evaluation: dropout is the identity.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1).</exception>
    public static Tensor Dropout(this Tensor x, float p, RandomGenerator rng, bool training = true) =>
        DropoutOp.Forward(x, p, rng, training);
}
