using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = mask != 0 ? value : x, with the mask broadcast to x's shape (e.g. a padding mask
/// (batch, 1, 1, srcLen) over attention scores (batch, heads, tgtLen, srcLen)).
/// Backward: dx += dy where the mask is zero; filled positions and the mask get no gradient.
/// </summary>
internal sealed class MaskedFillOp : Operation
{
    public static readonly MaskedFillOp Instance = new();
    public override string Name => "MaskedFill";

    public static Tensor Forward(Tensor x, Tensor mask, float value)
    {
        Span<int> broadcast = stackalloc int[ShapeBuffer.MaxRank];
        int rank = ShapeMath.Broadcast("MaskedFill", x.Shape, mask.Shape, broadcast);
        if (!ShapeMath.Same(broadcast[..rank], x.Shape))
            throw new ShapeMismatchException("MaskedFill", x.Shape, mask.Shape,
                $"the mask must broadcast to x's shape, but together they broadcast to {ShapeMath.Format(broadcast[..rank])}");
        var y = Tensor.Allocate(x.Shape);
        var shape = x.Shape;
        Span<int> outputStrides = stackalloc int[shape.Length], maskStrides = stackalloc int[shape.Length];
        ShapeMath.RowMajorStrides(shape, outputStrides);
        ShapeMath.BroadcastStrides(mask.Shape, mask.Strides, shape, maskStrides);
        if (StridedSlabs.Worthwhile(shape))
            FillSlabs.Run(y.AsSpan(), outputStrides, x.Storage.AsSpan(), x.Strides, x.Offset, mask.Storage.AsSpan(), maskStrides,
                mask.Offset, value, shape);
        else
        {
            var kernel = new FillKernel(y.AsSpan(), x.Storage.AsSpan(), mask.Storage.AsSpan(), value);
            StridedLoop.Run(ref kernel, shape, outputStrides, 0, x.Strides, x.Offset, maskStrides, mask.Offset);
        }
        if (y.Record(Instance, x)) y.Saved0 = mask;
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        SelectGradient.Accumulate(x.GradBuffer(), y.Grad!.AsSpan(), y.Saved0!, y.Shape, whereNonzero: false);
    }

    private ref struct FillKernel(Span<float> output, ReadOnlySpan<float> x, ReadOnlySpan<float> mask, float value) : IStridedKernel
    {
        private readonly Span<float> _output = output;
        private readonly ReadOnlySpan<float> _x = x, _mask = mask;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            var target = _output.Slice(o0, length);          // the output is dense: s0 == 1
            if (s1 == 1 && s2 == 1) { SelectKernel.ApplyScalar(_mask.Slice(o2, length), value, _x.Slice(o1, length), target); return; }
            if (s2 == 0 && _mask[o2] != 0f) { target.Fill(value); return; }
            if (s2 == 0 && s1 == 1) { _x.Slice(o1, length).CopyTo(target); return; }
            for (int i = 0; i < length; i++) target[i] = _mask[o2 + i * s2] != 0f ? value : _x[o1 + i * s1];
        }
    }

    /// <summary>The forward loop of a long tensor in slabs, one per thread (attention scores are 10⁵–10⁶ elements).</summary>
    private sealed class FillSlabs : StridedSlabs.Body
    {
        [ThreadStatic] private static FillSlabs? t_current;
        private float _value;

        public static void Run(Span<float> output, ReadOnlySpan<int> outputStrides, ReadOnlySpan<float> x, ReadOnlySpan<int> xStrides,
            int xOffset, ReadOnlySpan<float> mask, ReadOnlySpan<int> maskStrides, int maskOffset, float value, ReadOnlySpan<int> shape)
        {
            var work = t_current ??= new FillSlabs();
            work._value = value;
            work.Run(shape, output, outputStrides, 0, x, xStrides, xOffset, mask, maskStrides, maskOffset);
        }

        public override void Execute(int begin, int end)
        {
            var kernel = new FillKernel(Output, First, Second, _value);
            Slab(ref kernel, begin, end);
        }
    }
}

public static partial class TensorOps
{
    /// <summary>Replaces the elements of x where <paramref name="mask"/> is nonzero by <paramref name="value"/>
    /// (e.g. -inf at padded key positions before a softmax). No gradient reaches filled positions or the mask.</summary>
    /// <param name="x">any shape S, e.g. scores (batch, heads, tgtLen, srcLen)</param>
    /// <param name="mask">broadcastable to S without enlarging it, e.g. (batch, 1, 1, srcLen); nonzero means fill</param>
    /// <param name="value">the fill value</param>
    /// <returns>S</returns>
    public static Tensor MaskedFill(this Tensor x, Tensor mask, float value) => MaskedFillOp.Forward(x, mask, value);
}
