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
    /// merged) or scatter (or scatter-add) from one (the gradient of such a view), with the view's first dimension cut into slabs,
    /// one per thread; every element is touched once, so the result does not depend on the split.</summary>
    private sealed unsafe class SlabWork : IParallelWork
    {
        [ThreadStatic] private static SlabWork? t_current;
        private Tensor? _view;
        private float* _dense;
        private bool _scatter, _accumulate;

        /// <summary>dense = view's elements in row-major order.</summary>
        public static void Gather(Tensor view, Span<float> dense)
        {
            fixed (float* pointer = dense) Run(view, pointer, scatter: false, accumulate: false);
        }

        /// <summary>view = dense, or view += dense with <paramref name="accumulate"/>, elementwise in row-major order.</summary>
        public static void Scatter(Tensor view, ReadOnlySpan<float> dense, bool accumulate)
        {
            fixed (float* pointer = dense) Run(view, pointer, scatter: true, accumulate);
        }

        private static void Run(Tensor view, float* dense, bool scatter, bool accumulate)
        {
            var work = t_current ??= new SlabWork();
            work._view = view;
            work._dense = dense;
            work._scatter = scatter;
            work._accumulate = accumulate;
            try
            {
                ParallelRunner.For(view.Shape[0], work);
            }
            finally
            {
                work._view = null;
                work._dense = null;
            }
        }

        public void Execute(int begin, int end)
        {
            var view = _view!;
            Span<int> slab = stackalloc int[view.Rank];
            view.Shape.CopyTo(slab);
            slab[0] = end - begin;
            Span<int> denseStrides = stackalloc int[view.Rank];
            ShapeMath.RowMajorStrides(slab, denseStrides);
            int inner = view.Count / view.Shape[0];
            var dense = new Span<float>(_dense + (long)begin * inner, (end - begin) * inner);
            int offset = view.Offset + begin * view.Strides[0];
            if (!_scatter) Copy(slab, dense, denseStrides, 0, view.Storage.AsSpan(), view.Strides, offset);
            else if (_accumulate) Accumulate(slab, view.Storage.AsSpan(), view.Strides, offset, dense, denseStrides, 0);
            else Copy(slab, view.Storage.AsSpan(), view.Strides, offset, dense, denseStrides, 0);
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
