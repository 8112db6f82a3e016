using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// The backward shared by MaskedFill and Where: a dense gradient of the output's shape passes
/// through only where a broadcast condition is nonzero (or only where it is zero).
/// </summary>
internal static class SelectGradient
{
    /// <summary>destination[i] += dy[i] where (condition[i] != 0) == <paramref name="whereNonzero"/>;
    /// destination and dy are dense with <paramref name="shape"/>, condition broadcasts to it.</summary>
    public static void Accumulate(Span<float> destination, ReadOnlySpan<float> dy, Tensor condition, ReadOnlySpan<int> shape, bool whereNonzero)
    {
        Span<int> denseStrides = stackalloc int[shape.Length];
        ShapeMath.RowMajorStrides(shape, denseStrides);
        Span<int> conditionStrides = stackalloc int[shape.Length];
        ShapeMath.BroadcastStrides(condition.Shape, condition.Strides, shape, conditionStrides);
        if (StridedSlabs.Worthwhile(shape))
        {
            Slabs.Run(destination, dy, condition.Storage.AsSpan(), whereNonzero, shape, denseStrides, conditionStrides, condition.Offset);
            return;
        }
        var kernel = new Kernel(destination, dy, condition.Storage.AsSpan(), whereNonzero);
        StridedLoop.Run(ref kernel, shape, denseStrides, 0, denseStrides, 0, conditionStrides, condition.Offset);
    }

    /// <summary>The loop of a long gradient in slabs, one per thread.</summary>
    private sealed class Slabs : StridedSlabs.Body
    {
        [ThreadStatic] private static Slabs? t_current;
        private bool _whereNonzero;

        public static void Run(Span<float> destination, ReadOnlySpan<float> dy, ReadOnlySpan<float> condition, bool whereNonzero,
            ReadOnlySpan<int> shape, ReadOnlySpan<int> denseStrides, ReadOnlySpan<int> conditionStrides, int conditionOffset)
        {
            var work = t_current ??= new Slabs();
            work._whereNonzero = whereNonzero;
            work.Run(shape, destination, denseStrides, 0, dy, denseStrides, 0, condition, conditionStrides, conditionOffset);
        }

        public override void Execute(int begin, int end)
        {
            var kernel = new Kernel(Output, First, Second, _whereNonzero);
            Slab(ref kernel, begin, end);
        }
    }

    private ref struct Kernel(Span<float> destination, ReadOnlySpan<float> source, ReadOnlySpan<float> condition, bool whereNonzero) : IStridedKernel
    {
        private readonly Span<float> _destination = destination;
        private readonly ReadOnlySpan<float> _source = source, _condition = condition;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            // destination and source are both dense in the output's layout, so s0 == s1 == 1 here.
            var target = _destination.Slice(o0, length);
            var source = _source.Slice(o1, length);
            if (s2 == 1) { SelectKernel.Accumulate(_condition.Slice(o2, length), source, whereNonzero, target); return; }
            if (s2 == 0)
            {
                // One condition value for the whole run (e.g. a (batch, 1, tgtLen, 1) mask): pass all or nothing.
                if ((_condition[o2] != 0f) == whereNonzero) TensorPrimitives.Add(target, source, target);
                return;
            }
            for (int i = 0; i < length; i++)
                if ((_condition[o2 + i * s2] != 0f) == whereNonzero) target[i] += source[i];
        }
    }
}
