using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// The shared shape of an elementwise y = f(x): a dense output of x's shape, strided input read
/// through a dense copy, and a backward dx += dy·f'(·) from whichever of x or y is cheaper to differentiate
/// through. The first gradient x receives is written, not added to a zeroed buffer: a (1920, 1024) feed-forward
/// activation's gradient would otherwise be cleared by one thread and read once more. Subclasses supply only the
/// span maths.
/// </summary>
internal abstract class UnaryOp : Operation
{
    /// <summary>True when <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float, bool)"/> reads the
    /// output y (exp, tanh, sigmoid, sqrt); false when it reads the input x (relu, gelu, silu, log, pow).</summary>
    protected abstract bool BackwardReadsOutput { get; }

    /// <summary>y = f(x) over dense spans of equal length; <paramref name="x"/> may be <paramref name="y"/> itself.</summary>
    protected abstract void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter);

    /// <summary>dx += dy·f'(·), or dx = dy·f'(·) when <paramref name="overwrite"/> (dx then holds no values yet), where
    /// <paramref name="saved"/> is y or x as <see cref="BackwardReadsOutput"/> says.</summary>
    protected abstract void Backward(ReadOnlySpan<float> saved, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite);

    /// <summary>Computes f(x) and records it for backward; <paramref name="parameter"/> (e.g. pow's exponent) reaches both halves.</summary>
    public Tensor Apply(Tensor x, float parameter = 0f)
    {
        var y = Tensor.Allocate(x.Shape);
        var output = y.AsSpan();
        if (x.IsContiguous) Forward(x.AsSpan(), output, parameter);
        else
        {
            StridedCopy.ToDense(x, output);             // then f in place: every kernel allows exact aliasing
            Forward(output, output, parameter);
        }
        if (y.Record(this, x)) y.Scalar0 = parameter;
        return y;
    }

    public sealed override void Backward(Tensor y)
    {
        var x = y.Input0!;
        if (!x.RequiresGrad) return;
        var dy = y.Grad!.AsSpan();
        var dx = x.GradBufferForOverwrite(out bool fresh);   // dense, row-major in x's logical order
        if (BackwardReadsOutput) { Backward(y.AsSpan(), dy, dx, y.Scalar0, fresh); return; }
        if (x.IsContiguous) { Backward(x.AsSpan(), dy, dx, y.Scalar0, fresh); return; }
        var dense = Tensor.Allocate(x.Shape);           // x in dy's layout
        StridedCopy.ToDense(x, dense.AsSpan());
        Backward(dense.AsSpan(), dy, dx, y.Scalar0, fresh);
    }
}
