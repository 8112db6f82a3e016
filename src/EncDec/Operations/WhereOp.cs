using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = condition != 0 ? a : b elementwise, all three broadcast to a common shape. Backward:
/// da += reduce(dy where condition != 0), db += reduce(dy where condition == 0); the condition gets none.
/// </summary>
internal sealed class WhereOp : Operation
{
    public static readonly WhereOp Instance = new();
    public override string Name => "Where";

    public static Tensor Forward(Tensor condition, Tensor a, Tensor b)
    {
        Span<int> values = stackalloc int[ShapeBuffer.MaxRank], shape = stackalloc int[ShapeBuffer.MaxRank];
        int valuesRank = ShapeMath.Broadcast("Where", a.Shape, b.Shape, values);
        int rank = ShapeMath.Broadcast("Where", values[..valuesRank], condition.Shape, shape);
        var y = Tensor.Allocate(shape[..rank]);
        // Two passes because a strided loop walks at most three operands: y = b, then y = condition ? a : y.
        Span<int> outputStrides = stackalloc int[rank], aStrides = stackalloc int[rank];
        Span<int> bStrides = stackalloc int[rank], conditionStrides = stackalloc int[rank];
        ShapeMath.RowMajorStrides(y.Shape, outputStrides);
        ShapeMath.BroadcastStrides(a.Shape, a.Strides, y.Shape, aStrides);
        ShapeMath.BroadcastStrides(b.Shape, b.Strides, y.Shape, bStrides);
        ShapeMath.BroadcastStrides(condition.Shape, condition.Strides, y.Shape, conditionStrides);
        var copy = new CopyKernel(y.AsSpan(), b.Storage.AsSpan());
        StridedLoop.Run(ref copy, y.Shape, outputStrides, 0, bStrides, b.Offset, default, 0);
        var select = new SelectKernelLoop(y.AsSpan(), a.Storage.AsSpan(), condition.Storage.AsSpan());
        StridedLoop.Run(ref select, y.Shape, outputStrides, 0, aStrides, a.Offset, conditionStrides, condition.Offset);
        if (y.Record(Instance, a, b)) y.Saved0 = condition;
        return y;
    }

    public override void Backward(Tensor y)
    {
        var dy = y.Grad!.AsSpan();
        if (y.Input0!.RequiresGrad) Accumulate(y.Input0, dy, y, whereNonzero: true);
        if (y.Input1!.RequiresGrad) Accumulate(y.Input1, dy, y, whereNonzero: false);
    }

    private static void Accumulate(Tensor input, ReadOnlySpan<float> dy, Tensor y, bool whereNonzero)
    {
        if (ShapeMath.Same(input.Shape, y.Shape))
        {
            SelectGradient.Accumulate(input.GradBuffer(), dy, y.Saved0!, y.Shape, whereNonzero);
            return;
        }
        var selected = Tensor.AllocateZeros(y.Shape);        // dy where chosen, 0 elsewhere; then reduced to input's shape
        SelectGradient.Accumulate(selected.AsSpan(), dy, y.Saved0!, y.Shape, whereNonzero);
        GradientReduction.AccumulateBroadcast(input, selected.AsSpan(), y.Shape);
    }

    private ref struct CopyKernel(Span<float> output, ReadOnlySpan<float> source) : IStridedKernel
    {
        private readonly Span<float> _output = output;
        private readonly ReadOnlySpan<float> _source = source;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            var target = _output.Slice(o0, length);          // the output is dense: s0 == 1
            if (s1 == 1) _source.Slice(o1, length).CopyTo(target);
            else if (s1 == 0) target.Fill(_source[o1]);
            else for (int i = 0; i < length; i++) target[i] = _source[o1 + i * s1];
        }
    }

    /// <summary>output = condition != 0 ? a : output, over a run of the strided loop.</summary>
    private ref struct SelectKernelLoop(Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> condition) : IStridedKernel
    {
        private readonly Span<float> _output = output;
        private readonly ReadOnlySpan<float> _a = a, _condition = condition;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            var target = _output.Slice(o0, length);
            if (s2 == 1 && s1 == 1) { SelectKernel.Apply(_condition.Slice(o2, length), _a.Slice(o1, length), target, target); return; }
            if (s2 == 1 && s1 == 0) { SelectKernel.ApplyScalar(_condition.Slice(o2, length), _a[o1], target, target); return; }
            if (s2 == 0)
            {
                if (_condition[o2] == 0f) return;
                if (s1 == 1) _a.Slice(o1, length).CopyTo(target);
                else if (s1 == 0) target.Fill(_a[o1]);
                else for (int i = 0; i < length; i++) target[i] = _a[o1 + i * s1];
                return;
            }
            for (int i = 0; i < length; i++)
                if (_condition[o2 + i * s2] != 0f) target[i] = _a[o1 + i * s1];
        }
    }
}

public static partial class TensorOps
{
    /// <summary>Elementwise condition != 0 ? a : b, broadcasting all three. Gradients reach a and b, not the condition.</summary>
    /// <param name="condition">broadcastable to the result; nonzero picks a</param>
    /// <param name="a">broadcastable to the result</param>
    /// <param name="b">broadcastable to the result</param>
    /// <returns>the broadcast shape of condition, a and b</returns>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => WhereOp.Forward(condition, a, b);
}
