using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>Elementwise binary maths over two tensors broadcast to a common shape (any strides).</summary>
internal static class Broadcasting
{
    /// <summary>A new contiguous tensor f(a, b) of the broadcast shape of a and b.</summary>
    public static Tensor Apply<TOp>(string operation, Tensor a, Tensor b) where TOp : IBinaryOperator
    {
        Span<int> shape = stackalloc int[ShapeBuffer.MaxRank];
        int rank = ShapeMath.Broadcast(operation, a.Shape, b.Shape, shape);
        var output = Tensor.Allocate(shape[..rank]);
        Into<TOp>(a, b, output);
        return output;
    }

    /// <summary>Writes f(a, b) into the contiguous <paramref name="output"/>, whose shape is the broadcast shape.</summary>
    public static void Into<TOp>(Tensor a, Tensor b, Tensor output) where TOp : IBinaryOperator
    {
        var shape = output.Shape;
        if (a.IsContiguous && b.IsContiguous && ShapeMath.Same(a.Shape, shape) && ShapeMath.Same(b.Shape, shape))
        {
            BinaryKernel.Apply<TOp>(a.AsSpan(), b.AsSpan(), output.AsSpan());
            return;
        }
        Span<int> outputStrides = stackalloc int[shape.Length];
        ShapeMath.RowMajorStrides(shape, outputStrides);
        Span<int> aStrides = stackalloc int[shape.Length], bStrides = stackalloc int[shape.Length];
        ShapeMath.BroadcastStrides(a.Shape, a.Strides, shape, aStrides);
        ShapeMath.BroadcastStrides(b.Shape, b.Strides, shape, bStrides);
        var kernel = new Kernel<TOp>(output.AsSpan(), a.Storage.AsSpan(), b.Storage.AsSpan());
        StridedLoop.Run(ref kernel, shape, outputStrides, 0, aStrides, a.Offset, bStrides, b.Offset);
    }

    private ref struct Kernel<TOp>(Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b) : IStridedKernel
        where TOp : IBinaryOperator
    {
        private readonly Span<float> _output = output;
        private readonly ReadOnlySpan<float> _a = a, _b = b;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            var target = _output.Slice(o0, length);
            if (s1 == 1 && s2 == 1) { BinaryKernel.Apply<TOp>(_a.Slice(o1, length), _b.Slice(o2, length), target); return; }
            if (s1 == 1 && s2 == 0) { BinaryKernel.ApplyScalar<TOp>(_a.Slice(o1, length), _b[o2], target); return; }
            for (int i = 0; i < length; i++) target[i] = TOp.Invoke(_a[o1 + i * s1], _b[o2 + i * s2]);
        }
    }
}
