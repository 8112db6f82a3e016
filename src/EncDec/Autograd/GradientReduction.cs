using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Autograd;

/// <summary>
/// The one place broadcast gradients are reduced: an input of shape (1, n) broadcast to (m, n)
/// receives the sum over m of the output gradient. Every broadcasting op's backward calls this.
/// </summary>
internal static class GradientReduction
{
    /// <summary>input.Grad += scale * sum over broadcast dimensions of <paramref name="gradient"/> (dense, shape <paramref name="gradientShape"/>).</summary>
    public static void AccumulateBroadcast(Tensor input, ReadOnlySpan<float> gradient, ReadOnlySpan<int> gradientShape, float scale = 1f)
    {
        if (ShapeMath.Same(input.Shape, gradientShape))
        {
            AccumulateDense(input, gradient, scale);
            return;
        }
        var destination = input.GradBuffer();
        if (IsRowBroadcast(input.Shape, gradientShape))
        {
            RowBroadcast.SumRows(gradient, destination, scale);   // a bias: the same sums, split by columns
            return;
        }
        int rank = gradientShape.Length;
        Span<int> inputStrides = stackalloc int[input.Rank];
        ShapeMath.RowMajorStrides(input.Shape, inputStrides);
        Span<int> destinationStrides = stackalloc int[rank];
        ShapeMath.BroadcastStrides(input.Shape, inputStrides, gradientShape, destinationStrides);
        Span<int> gradientStrides = stackalloc int[rank];
        ShapeMath.RowMajorStrides(gradientShape, gradientStrides);
        var kernel = new ReduceKernel(gradient, destination, scale);
        StridedLoop.Run(ref kernel, gradientShape, destinationStrides, 0, gradientStrides, 0, default, 0);
    }

    /// <summary>input.Grad += scale * <paramref name="gradient"/>, which holds input's elements densely in row-major order (the
    /// gradient of a same-shape use, or of a reshape). The first gradient a tensor receives is written instead of added to
    /// a zeroed buffer, and long spans are split over the kernel threads: residual paths and head reshapes move several
    /// megabytes per step here.</summary>
    public static void AccumulateDense(Tensor input, ReadOnlySpan<float> gradient, float scale = 1f)
    {
        if (gradient.Length != input.Count)
            throw new ArgumentException($"a gradient of {gradient.Length} elements for tensor {input.Describe()}", nameof(gradient));
        var target = input.GradBufferForOverwrite(out bool fresh);
        if (fresh && scale == 1f) UnaryKernel.Apply<IdentityOperator>(gradient, target);
        else if (fresh) BinaryKernel.ApplyScalar<MultiplyOperator>(gradient, scale, target);
        else if (scale == 1f) BinaryKernel.Apply<AddOperator>(target, gradient, target);
        else TensorPrimitives.MultiplyAdd(gradient, scale, target, target);
    }

    /// <summary>Whether <paramref name="inputShape"/> is (…, 1, n) broadcast over every leading dimension of
    /// <paramref name="gradientShape"/> (…, n): a bias added to every row.</summary>
    private static bool IsRowBroadcast(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> gradientShape)
    {
        if (inputShape.Length == 0 || gradientShape.Length < 2 || inputShape.Length > gradientShape.Length) return false;
        if (inputShape[^1] != gradientShape[^1] || inputShape[^1] == 0) return false;
        for (int i = 0; i < inputShape.Length - 1; i++)
            if (inputShape[i] != 1) return false;
        return true;
    }

    private ref struct ReduceKernel(ReadOnlySpan<float> source, Span<float> destination, float scale) : IStridedKernel
    {
        private readonly ReadOnlySpan<float> _source = source;
        private readonly Span<float> _destination = destination;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            if (s0 == 0 && s1 == 1) { _destination[o0] += scale * TensorPrimitives.Sum(_source.Slice(o1, length)); return; }
            if (s0 == 1 && s1 == 1)
            {
                var target = _destination.Slice(o0, length);
                TensorPrimitives.MultiplyAdd(_source.Slice(o1, length), scale, target, target);
                return;
            }
            for (int i = 0; i < length; i++) _destination[o0 + i * s0] += scale * _source[o1 + i * s1];
        }
    }
}
