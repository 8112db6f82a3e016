using EncDec.Kernels;

namespace EncDec.Tensors;

/// <summary>Copies and accumulates between strided layouts: the one place views are read or written element by element.</summary>
internal static class StridedCopy
{
    /// <summary>Writes <paramref name="source"/>'s elements, in row-major order, into <paramref name="destination"/>.</summary>
    public static void ToDense(Tensor source, Span<float> destination)
    {
        if (destination.Length != source.Count)
            throw new ArgumentException($"destination holds {destination.Length} floats, tensor {source.Describe()} has {source.Count}");
        if (source.IsContiguous)
        {
            source.AsSpan().CopyTo(destination);
            return;
        }
        if (SplitsIntoSlabs(source))
        {
            SlabWork.Gather(source, destination);
            return;
        }
        Span<int> denseStrides = stackalloc int[source.Rank];
        ShapeMath.RowMajorStrides(source.Shape, denseStrides);
        Copy(source.Shape, destination, denseStrides, 0, source.Storage.AsSpan(), source.Strides, source.Offset);
    }

    /// <summary>Whether a copy between <paramref name="view"/> and a dense buffer is worth cutting into slabs along
    /// the first dimension, one per thread: large, and no stride 0 (a broadcast view would let two slabs meet).</summary>
    private static bool SplitsIntoSlabs(Tensor view)
    {
        if (view.Rank < 2 || view.Shape[0] < 2 || !ElementwiseSplit.Worthwhile(view.Count)) return false;
        foreach (int stride in view.Strides)
            if (stride == 0) return false;
        return true;
    }

    /// <summary>A large gather into a dense buffer (a permuted view made dense, such as attention heads split or
    /// merged) or scatter (or scatter-add) from one (the gradient of such a view), with the view's first dimension cut
    /// into slabs, one per thread (<see cref="StridedSlabs"/>); every element is touched once, so the result does not
    /// depend on the split.</summary>
    private sealed class SlabWork : StridedSlabs.Body
    {
        [ThreadStatic] private static SlabWork? t_current;
        private bool _accumulate;

        /// <summary>dense = view's elements in row-major order.</summary>
        public static void Gather(Tensor view, Span<float> dense)
        {
            Span<int> denseStrides = stackalloc int[view.Rank];
            ShapeMath.RowMajorStrides(view.Shape, denseStrides);
            var work = t_current ??= new SlabWork();
            work._accumulate = false;
            work.Run(view.Shape, dense, denseStrides, 0, view.Storage.AsSpan(), view.Strides, view.Offset, default, default, 0);
        }

        /// <summary>view = dense, or view += dense with <paramref name="accumulate"/>, elementwise in row-major order.</summary>
        public static void Scatter(Tensor view, ReadOnlySpan<float> dense, bool accumulate)
        {
            Span<int> denseStrides = stackalloc int[view.Rank];
            ShapeMath.RowMajorStrides(view.Shape, denseStrides);
            var work = t_current ??= new SlabWork();
            work._accumulate = accumulate;
            work.Run(view.Shape, view.Storage.AsSpan(), view.Strides, view.Offset, dense, denseStrides, 0, default, default, 0);
        }

        public override void Execute(int begin, int end)
        {
            if (_accumulate)
            {
                var kernel = new AccumulateKernel(First, Output);
                Slab(ref kernel, begin, end);
            }
            else
            {
                var kernel = new CopyKernel(First, Output);
                Slab(ref kernel, begin, end);
            }
        }
    }

    /// <summary>Accumulates the dense <paramref name="source"/> into the strided <paramref name="destination"/> view (+=).</summary>
    public static void AccumulateInto(ReadOnlySpan<float> source, Tensor destination) => Scatter(source, destination, accumulate: true);

    /// <summary>Writes the dense <paramref name="source"/> into the strided <paramref name="destination"/> view (=); a view
    /// that reaches an element twice (stride 0) ends with the last write.</summary>
    public static void CopyInto(ReadOnlySpan<float> source, Tensor destination) => Scatter(source, destination, accumulate: false);

    private static void Scatter(ReadOnlySpan<float> source, Tensor destination, bool accumulate)
    {
        if (source.Length != destination.Count)
            throw new ArgumentException($"source holds {source.Length} floats, tensor {destination.Describe()} has {destination.Count}");
        if (SplitsIntoSlabs(destination))
        {
            SlabWork.Scatter(destination, source, accumulate);
            return;
        }
        Span<int> denseStrides = stackalloc int[destination.Rank];
        ShapeMath.RowMajorStrides(destination.Shape, denseStrides);
        if (accumulate) Accumulate(destination.Shape, destination.Storage.AsSpan(), destination.Strides, destination.Offset, source, denseStrides, 0);
        else Copy(destination.Shape, destination.Storage.AsSpan(), destination.Strides, destination.Offset, source, denseStrides, 0);
    }

    /// <summary>destination[index] = source[index] for every index of <paramref name="shape"/>, each side with its own strides and offset.</summary>
    public static void Copy(ReadOnlySpan<int> shape, Span<float> destination, ReadOnlySpan<int> destinationStrides, int destinationOffset,
        ReadOnlySpan<float> source, ReadOnlySpan<int> sourceStrides, int sourceOffset)
    {
        var kernel = new CopyKernel(source, destination);
        StridedLoop.Run(ref kernel, shape, destinationStrides, destinationOffset, sourceStrides, sourceOffset, default, 0);
    }

    /// <summary>destination[index] += source[index] for every index of <paramref name="shape"/>, each side with its own strides and offset.</summary>
    public static void Accumulate(ReadOnlySpan<int> shape, Span<float> destination, ReadOnlySpan<int> destinationStrides, int destinationOffset,
        ReadOnlySpan<float> source, ReadOnlySpan<int> sourceStrides, int sourceOffset)
    {
        var kernel = new AccumulateKernel(source, destination);
        StridedLoop.Run(ref kernel, shape, destinationStrides, destinationOffset, sourceStrides, sourceOffset, default, 0);
    }

    private ref struct CopyKernel(ReadOnlySpan<float> source, Span<float> destination) : IStridedKernel
    {
        private readonly ReadOnlySpan<float> _source = source;
        private readonly Span<float> _destination = destination;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            if (s0 == 1 && s1 == 1) { _source.Slice(o1, length).CopyTo(_destination.Slice(o0, length)); return; }
            for (int i = 0; i < length; i++) _destination[o0 + i * s0] = _source[o1 + i * s1];
        }
    }

    private ref struct AccumulateKernel(ReadOnlySpan<float> source, Span<float> destination) : IStridedKernel
    {
        private readonly ReadOnlySpan<float> _source = source;
        private readonly Span<float> _destination = destination;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            if (s0 == 1 && s1 == 1)
            {
                var target = _destination.Slice(o0, length);
                TensorPrimitives.Add(target, _source.Slice(o1, length), target);
                return;
            }
            for (int i = 0; i < length; i++) _destination[o0 + i * s0] += _source[o1 + i * s1];
        }
    }
}
