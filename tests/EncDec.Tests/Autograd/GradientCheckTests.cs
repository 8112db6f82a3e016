using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Tests.Autograd;

public class GradientCheckTests
{
    /// <summary>y = x * x with a deliberately wrong backward (3x instead of 2x).</summary>
    private sealed class BrokenSquareOp : Operation
    {
        public static readonly BrokenSquareOp Instance = new();
        public override string Name => "BrokenSquare";

        public static Tensor Forward(Tensor x)
        {
            var y = Tensor.Allocate(x.Shape);
            System.Numerics.Tensors.TensorPrimitives.Multiply(x.AsSpan(), x.AsSpan(), y.AsSpan());
            y.Record(Instance, x);
            return y;
        }

        public override void Backward(Tensor y)
        {
            var dx = y.Input0!.GradBuffer();
            var x = y.Input0.AsSpan();
            var dy = y.Grad!.AsSpan();
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * 3f * x[i];
        }
    }

    [Fact]
    public void Verify_DetectsAWrongBackward() =>
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            GradientCheck.Verify(t => BrokenSquareOp.Forward(t[0]), GradientCheck.RandomInputs(1, 0.5f, 1f, [4])));

    [Fact]
    public void NoGrad_RecordsNothing_AndAllocatesNoGradient()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        Tensor y;
        using (GradMode.Disable()) y = x * 2f + 1f;
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Null(x.Grad);
        Assert.Throws<InvalidOperationException>(() => y.Backward(Tensor.Ones(2)));
    }
}
