using System.Runtime.InteropServices;
using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y[o, j] = max over k of x[o, k, j], x seen as (outer, axis, inner); the first maximum wins a tie
/// and a NaN counts as the maximum. Backward: dx[o, argmax, j] += dy[o, j] (the gradient goes to
/// the one element that was chosen, as in PyTorch's max with dim).
/// </summary>
internal sealed class MaxOp : Operation
{
    public static readonly MaxOp Instance = new();
    public override string Name => "Max";

    public static Tensor Forward(Tensor x, int axis, bool keepDim)
    {
        int a = ShapeMath.NormalizeAxis("Max", axis, x.Rank);
        RequireNonEmpty("Max", x, a);
        Span<int> shape = stackalloc int[x.Rank];
        int rank = ReductionLayout.ReducedShape(x.Shape, a, keepDim, shape);
        x = x.Contiguous();
        var layout = new ReductionLayout(x.Shape, a);
        var y = Tensor.Allocate(shape[..rank]);
        if (y.Record(Instance, x))
        {
            // The arg-max positions, kept for backward as raw int32 bits in a pooled float buffer.
            var positions = Tensor.Allocate(shape[..rank]);
            var indices = MemoryMarshal.Cast<float, int>(positions.AsSpan());
            ArgMaxInto(x.AsSpan(), layout, indices);
            Gather(x.AsSpan(), layout, indices, y.AsSpan());
            y.Saved0 = positions;
            y.Int0 = a;
        }
        else MaxInto(x.AsSpan(), layout, y.AsSpan());
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        var layout = new ReductionLayout(x.Shape, y.Int0);
        var indices = MemoryMarshal.Cast<float, int>(y.Saved0!.AsSpan());
        var dx = x.GradBuffer();
        var dy = y.Grad!.AsSpan();
        int n = layout.Length, inner = layout.Inner;
        for (int o = 0; o < layout.Outer; o++)
            for (int j = 0; j < inner; j++)
                dx[(o * n + indices[o * inner + j]) * inner + j] += dy[o * inner + j];
    }

    /// <summary>indices[o, j] = the first k where x[o, k, j] is largest (or NaN). Length must be positive.</summary>
    internal static void ArgMaxInto(ReadOnlySpan<float> x, ReductionLayout layout, Span<int> indices)
    {
        int n = layout.Length, inner = layout.Inner;
        if (inner == 1)
        {
            for (int o = 0; o < layout.Outer; o++) indices[o] = TensorPrimitives.IndexOfMax(x.Slice(o * n, n));
            return;
        }
        for (int o = 0; o < layout.Outer; o++)
        {
            var best = indices.Slice(o * inner, inner);
            best.Clear();
            for (int k = 1; k < n; k++)
            {
                var row = x.Slice((o * n + k) * inner, inner);
                for (int j = 0; j < inner; j++)
                {
                    float current = x[(o * n + best[j]) * inner + j], candidate = row[j];
                    if (candidate > current || (float.IsNaN(candidate) && !float.IsNaN(current))) best[j] = k;
                }
            }
        }
    }

    /// <summary>Throws when the reduced axis is empty: a maximum of nothing has no value and no position.</summary>
    internal static void RequireNonEmpty(string operation, Tensor x, int axis)
    {
        if (x.Shape[axis] == 0)
            throw new ArgumentException($"{operation}: dimension {axis} of tensor {x.Describe()} is empty; a maximum needs at least one element");
    }

    private static void Gather(ReadOnlySpan<float> x, ReductionLayout layout, ReadOnlySpan<int> indices, Span<float> y)
    {
        int n = layout.Length, inner = layout.Inner;
        for (int o = 0; o < layout.Outer; o++)
            for (int j = 0; j < inner; j++)
                y[o * inner + j] = x[(o * n + indices[o * inner + j]) * inner + j];
    }

    /// <summary>Values only (the no-grad path): one SIMD max per row, or running elementwise maxima of rows.</summary>
    private static void MaxInto(ReadOnlySpan<float> x, ReductionLayout layout, Span<float> y)
    {
        int n = layout.Length, inner = layout.Inner;
        if (inner == 1)
        {
            for (int o = 0; o < layout.Outer; o++) y[o] = TensorPrimitives.Max(x.Slice(o * n, n));
            return;
        }
        for (int o = 0; o < layout.Outer; o++)
        {
            var yRow = y.Slice(o * inner, inner);
            x.Slice(o * n * inner, inner).CopyTo(yRow);
            for (int k = 1; k < n; k++) TensorPrimitives.Max(yRow, x.Slice((o * n + k) * inner, inner), yRow);
        }
    }
}

public static partial class TensorOps
{
    /// <summary>Largest value along <paramref name="axis"/> (negative counts from the end). The gradient goes to
    /// the position of the maximum (the first one on ties).</summary>
    /// <param name="x">(..., n, ...) with n &gt; 0</param>
    /// <param name="axis">the dimension to reduce</param>
    /// <param name="keepDim">keep the reduced dimension as size 1</param>
    /// <returns>x's shape without the axis, or with it as 1 when <paramref name="keepDim"/></returns>
    public static Tensor Max(this Tensor x, int axis, bool keepDim = false) => MaxOp.Forward(x, axis, keepDim);

    /// <summary>Position of the largest value along <paramref name="axis"/> (first on ties); not differentiable.</summary>
    /// <param name="x">(..., n, ...) with n &gt; 0</param>
    /// <param name="axis">the dimension to reduce (negative counts from the end)</param>
    /// <returns>x's shape without the axis</returns>
    public static IntTensor ArgMax(this Tensor x, int axis)
    {
        int a = ShapeMath.NormalizeAxis("ArgMax", axis, x.Rank);
        Span<int> shape = stackalloc int[x.Rank];
        int rank = ReductionLayout.ReducedShape(x.Shape, a, keepDim: false, shape);
        return x.ArgMax(axis, IntTensor.Zeros(shape[..rank]));
    }

    /// <summary>Writes the position of the largest value along <paramref name="axis"/> into <paramref name="result"/>
    /// (no allocation, for decoding loops); not differentiable.</summary>
    /// <param name="x">(..., n, ...) with n &gt; 0</param>
    /// <param name="axis">the dimension to reduce (negative counts from the end)</param>
    /// <param name="result">x's shape without the axis; overwritten</param>
    /// <returns><paramref name="result"/></returns>
    public static IntTensor ArgMax(this Tensor x, int axis, IntTensor result)
    {
        int a = ShapeMath.NormalizeAxis("ArgMax", axis, x.Rank);
        MaxOp.RequireNonEmpty("ArgMax", x, a);
        Span<int> shape = stackalloc int[x.Rank];
        int rank = ReductionLayout.ReducedShape(x.Shape, a, keepDim: false, shape);
        if (!ShapeMath.Same(result.Shape, shape[..rank]))
            throw new ShapeMismatchException("ArgMax", result.Shape, shape[..rank],
                $"the result must have the shape of {x.Describe()} without dimension {a}");
        using (GradMode.Disable())
        {
            var dense = x.Contiguous();
            MaxOp.ArgMaxInto(dense.AsSpan(), new ReductionLayout(dense.Shape, a), result.AsSpan());
        }
        return result;
    }
}
