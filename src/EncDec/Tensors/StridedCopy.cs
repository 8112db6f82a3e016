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
        if (source.Rank > 1 && source.Shape[0] > 1 && ElementwiseSplit.Worthwhile(source.Count))
        {
            DenseWork.Run(source, destination);
            return;
        }
        Span<int> denseStrides = stackalloc int[source.Rank];
        ShapeMath.RowMajorStrides(source.Shape, denseStrides);
        Copy(source.Shape, destination, denseStrides, 0, source.Storage.AsSpan(), source.Strides, source.Offset);
    }

    /// <summary>A large gather (a permuted view made dense, such as attention heads split or merged) with the first
    /// dimension cut into slabs, one per thread; every element is copied once, so the result does not depend on the
    /// split.</summary>
    private sealed unsafe class DenseWork : IParallelWork
    {
        [ThreadStatic] private static DenseWork? t_current;
        private Tensor? _source;
        private float* _destination;

        public static void Run(Tensor source, Span<float> destination)
        {
            var work = t_current ??= new DenseWork();
            fixed (float* pointer = destination)
            {
                work._source = source;
                work._destination = pointer;
                try
                {
                    ParallelRunner.For(source.Shape[0], work);
                }
                finally
                {
                    work._source = null;
                    work._destination = null;
                }
            }
        }

        public void Execute(int begin, int end)
        {
            var source = _source!;
            Span<int> slab = stackalloc int[source.Rank];
            source.Shape.CopyTo(slab);
            slab[0] = end - begin;
            Span<int> denseStrides = stackalloc int[source.Rank];
            ShapeMath.RowMajorStrides(slab, denseStrides);
            int inner = source.Count / source.Shape[0];
            var destination = new Span<float>(_destination + (long)begin * inner, (end - begin) * inner);
            Copy(slab, destination, denseStrides, 0, source.Storage.AsSpan(), source.Strides, source.Offset + begin * source.Strides[0]);
        }
    }

    /// <summary>Accumulates the dense <paramref name="source"/> into the strided <paramref name="destination"/> view (+=).</summary>
    public static void AccumulateInto(ReadOnlySpan<float> source, Tensor destination)
    {
        Span<int> denseStrides = stackalloc int[destination.Rank];
        ShapeMath.RowMajorStrides(destination.Shape, denseStrides);
        Accumulate(destination.Shape, destination.Storage.AsSpan(), destination.Strides, destination.Offset, source, denseStrides, 0);
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
