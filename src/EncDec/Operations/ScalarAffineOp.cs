using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = x * scale + shift with scalar scale and shift. Backward: dx += dy * scale.</summary>
internal sealed class ScalarAffineOp : Operation
{
    public static readonly ScalarAffineOp Instance = new();
    public override string Name => "ScalarAffine";

    public static Tensor Forward(Tensor x, float scale, float shift)
    {
        var y = Tensor.Allocate(x.Shape);
        var output = y.AsSpan();
        if (x.IsContiguous && (scale == 1f || shift == 0f))
            ApplyDense(x.AsSpan(), scale, shift, output);
        else
        {
            StridedCopy.ToDense(x, output);
            if (scale != 1f) TensorPrimitives.Multiply(output, scale, output);
            if (shift != 0f) TensorPrimitives.Add(output, shift, output);
        }
        if (y.Record(Instance, x)) y.Scalar0 = scale;
        return y;
    }

    // One pass from the input (split over threads when large), rather than a copy and then a pass over the copy:
    // an embedding's √dModel scaling runs on a whole (batch, srcLen, dModel) batch in the encoder.
    private static void ApplyDense(ReadOnlySpan<float> x, float scale, float shift, Span<float> output)
    {
        if (scale != 1f) BinaryKernel.ApplyScalar<MultiplyOperator>(x, scale, output);
        else if (shift != 0f) BinaryKernel.ApplyScalar<AddOperator>(x, shift, output);
        else x.CopyTo(output);
    }

    public override void Backward(Tensor y) =>
        GradientReduction.AccumulateBroadcast(y.Input0!, y.Grad!.AsSpan(), y.Shape, scale: y.Scalar0);
}

public static partial class TensorOps
{
    /// <summary>x + value.</summary>
    public static Tensor Add(this Tensor x, float value) => ScalarAffineOp.Forward(x, 1f, value);

    /// <summary>x - value.</summary>
    public static Tensor Subtract(this Tensor x, float value) => ScalarAffineOp.Forward(x, 1f, -value);

    /// <summary>x * value.</summary>
    public static Tensor Multiply(this Tensor x, float value) => ScalarAffineOp.Forward(x, value, 0f);

    /// <summary>x / value.</summary>
    public static Tensor Divide(this Tensor x, float value) => ScalarAffineOp.Forward(x, 1f / value, 0f);

    /// <summary>-x.</summary>
    public static Tensor Negate(this Tensor x) => ScalarAffineOp.Forward(x, -1f, 0f);

    /// <summary>value - x.</summary>
    public static Tensor SubtractFrom(this Tensor x, float value) => ScalarAffineOp.Forward(x, -1f, value);
}
