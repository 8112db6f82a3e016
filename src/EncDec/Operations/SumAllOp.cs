using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = scale * sum of every element of x, a rank-0 tensor (scale = 1 for Sum, 1/count for Mean).
/// Backward: dx += scale * dy, the same value for every element.
/// </summary>
internal sealed class SumAllOp : Operation
{
    public static readonly SumAllOp SumInstance = new("Sum");
    public static readonly SumAllOp MeanInstance = new("Mean");

    private readonly string _name;
    private SumAllOp(string name) => _name = name;
    public override string Name => _name;

    public static Tensor Forward(SumAllOp op, Tensor x)
    {
        // Mean of nothing is 0/0 = NaN, as in NumPy and PyTorch.
        float scale = op == MeanInstance ? 1f / x.Count : 1f;
        var y = Tensor.Allocate(ReadOnlySpan<int>.Empty);
        y.AsSpan()[0] = scale * SumElements(x);
        if (y.Record(op, x)) y.Scalar0 = scale;
        return y;
    }

    public override void Backward(Tensor y)
    {
        var dx = y.Input0!.GradBuffer();
        TensorPrimitives.Add(dx, y.Scalar0 * y.Grad!.AsSpan()[0], dx);
    }

    private static float SumElements(Tensor x)
    {
        if (x.IsContiguous) return TensorPrimitives.Sum(x.AsSpan());
        var kernel = new SumKernel(x.Storage.AsSpan());
        StridedLoop.Run(ref kernel, x.Shape, x.Strides, x.Offset, default, 0, default, 0);
        return kernel.Total;
    }

    private ref struct SumKernel(ReadOnlySpan<float> source) : IStridedKernel
    {
        private readonly ReadOnlySpan<float> _source = source;
        public float Total;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            if (s0 == 1) { Total += TensorPrimitives.Sum(_source.Slice(o0, length)); return; }
            for (int i = 0; i < length; i++) Total += _source[o0 + i * s0];
        }
    }
}

public static partial class TensorOps
{
    /// <summary>The sum of every element.</summary>
    /// <param name="x">any shape</param>
    /// <returns>a rank-0 tensor ()</returns>
    public static Tensor Sum(this Tensor x) => SumAllOp.Forward(SumAllOp.SumInstance, x);

    /// <summary>The mean of every element (NaN for an empty tensor).</summary>
    /// <param name="x">any shape</param>
    /// <returns>a rank-0 tensor ()</returns>
    public static Tensor Mean(this Tensor x) => SumAllOp.Forward(SumAllOp.MeanInstance, x);
}
