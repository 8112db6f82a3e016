using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y[o, j] = scale * sum over k of x[o, k, j], x seen as (outer, axis, inner) (scale = 1 for Sum,
/// 1/length for Mean). Backward: dx[o, k, j] += scale * dy[o, j] for every k.
/// </summary>
internal sealed class SumOp : Operation
{
    public static readonly SumOp SumInstance = new("Sum");
    public static readonly SumOp MeanInstance = new("Mean");

    private readonly string _name;
    private SumOp(string name) => _name = name;
    public override string Name => _name;

    public static Tensor Forward(SumOp op, Tensor x, int axis, bool keepDim)
    {
        int a = ShapeMath.NormalizeAxis(op.Name, axis, x.Rank);
        Span<int> shape = stackalloc int[x.Rank];
        int rank = ReductionLayout.ReducedShape(x.Shape, a, keepDim, shape);
        x = x.Contiguous();                                   // a recorded op, so gradients reach a strided x
        var layout = new ReductionLayout(x.Shape, a);
        float scale = op == MeanInstance ? 1f / layout.Length : 1f;
        var y = Tensor.Allocate(shape[..rank]);
        Reduce(x.AsSpan(), layout, scale, y.AsSpan());
        if (y.Record(op, x))
        {
            y.Int0 = a;
            y.Scalar0 = scale;
        }
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        var layout = new ReductionLayout(x.Shape, y.Int0);
        var dx = x.GradBuffer();
        var dy = y.Grad!.AsSpan();
        float scale = y.Scalar0;
        int n = layout.Length, inner = layout.Inner;
        for (int o = 0; o < layout.Outer; o++)
        {
            if (inner == 1)
            {
                var row = dx.Slice(o * n, n);
                TensorPrimitives.Add(row, scale * dy[o], row);
                continue;
            }
            var dyRow = dy.Slice(o * inner, inner);             // (inner,)
            for (int k = 0; k < n; k++)
            {
                var dxRow = dx.Slice((o * n + k) * inner, inner);
                TensorPrimitives.MultiplyAdd(dyRow, scale, dxRow, dxRow);
            }
        }
    }

    /// <summary>y (outer, inner) = scale * sum over the axis of x (outer, length, inner).</summary>
    private static void Reduce(ReadOnlySpan<float> x, ReductionLayout layout, float scale, Span<float> y)
    {
        int n = layout.Length, inner = layout.Inner;
        if (inner == 1)
        {
            for (int o = 0; o < layout.Outer; o++) y[o] = scale * TensorPrimitives.Sum(x.Slice(o * n, n));
            return;
        }
        for (int o = 0; o < layout.Outer; o++)
        {
            var yRow = y.Slice(o * inner, inner);
            yRow.Clear();
            for (int k = 0; k < n; k++) TensorPrimitives.Add(yRow, x.Slice((o * n + k) * inner, inner), yRow);
            if (scale != 1f) TensorPrimitives.Multiply(yRow, scale, yRow);
        }
    }
}

public static partial class TensorOps
{
    /// <summary>Sums along <paramref name="axis"/> (negative counts from the end).</summary>
    /// <param name="x">(..., n, ...)</param>
    /// <param name="axis">the dimension to reduce</param>
    /// <param name="keepDim">keep the reduced dimension as size 1 (for broadcasting back against x)</param>
    /// <returns>x's shape without the axis, or with it as 1 when <paramref name="keepDim"/></returns>
    public static Tensor Sum(this Tensor x, int axis, bool keepDim = false) => SumOp.Forward(SumOp.SumInstance, x, axis, keepDim);

    /// <summary>Averages along <paramref name="axis"/> (negative counts from the end); NaN where the axis is empty.</summary>
    /// <param name="x">(..., n, ...)</param>
    /// <param name="axis">the dimension to reduce</param>
    /// <param name="keepDim">keep the reduced dimension as size 1 (for broadcasting back against x)</param>
    /// <returns>x's shape without the axis, or with it as 1 when <paramref name="keepDim"/></returns>
    public static Tensor Mean(this Tensor x, int axis, bool keepDim = false) => SumOp.Forward(SumOp.MeanInstance, x, axis, keepDim);
}
