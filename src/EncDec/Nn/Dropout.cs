using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Inverted dropout as a module: in training mode each element is zeroed with probability p and the
/// rest are scaled by 1/(1-p); in evaluation mode (<see cref="Module.Eval"/>) it is the identity.
/// No parameters.
/// </summary>
public sealed class Dropout : Module
{
    private readonly RandomGenerator _rng;

    /// <summary>Creates the module.</summary>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="rng">Source of the masks; a fixed seed gives fixed masks.</param>
    public Dropout(float p, RandomGenerator rng)
    {
        if (!(p >= 0f && p < 1f))
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: p must be in [0, 1), got {p}");
        P = p;
        _rng = rng;
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <summary>Applies dropout when training.</summary>
    /// <param name="x">Any shape; the result has the same shape.</param>
    public Tensor Forward(Tensor x) => x.Dropout(P, _rng, IsTraining);

    /// <summary>The factors <see cref="Forward"/> would multiply an input of <paramref name="shape"/> by, drawn from the
    /// same generator in the same order (0 or 1/(1 - p) per element), for operations that apply dropout inside a
    /// fused kernel; null when this layer is the identity (evaluation, or p = 0).</summary>
    internal Tensor? Factors(ReadOnlySpan<int> shape) => P == 0f || !IsTraining ? null : DropoutOp.Factors(shape, P, _rng);
}
