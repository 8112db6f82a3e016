using EncDec.Kernels;

namespace EncDec.Tensors;

/// <summary>Copies between strided tensor layouts and dense row-major spans.</summary>
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
        Span<int> denseStrides = stackalloc int[source.Rank];
        ShapeMath.RowMajorStrides(source.Shape, denseStrides);
        var kernel = new CopyKernel(source.Storage.AsSpan(), destination);
        StridedLoop.Run(ref kernel, source.Shape, denseStrides, 0, source.Strides, source.Offset, default, 0);
    }

    /// <summary>Accumulates the dense <paramref name="source"/> into the strided <paramref name="destination"/> view (+=).</summary>
    public static void AccumulateInto(ReadOnlySpan<float> source, Tensor destination)
    {
        Span<int> denseStrides = stackalloc int[destination.Rank];
        ShapeMath.RowMajorStrides(destination.Shape, denseStrides);
        var kernel = new AccumulateKernel(source, destination.Storage.AsSpan());
        StridedLoop.Run(ref kernel, destination.Shape, destination.Strides, destination.Offset, denseStrides, 0, default, 0);
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
