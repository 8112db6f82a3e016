using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class Conv1dOpTests
{
    /// <summary>Direct convolution, PyTorch's F.conv1d definition, accumulated in double:
    /// y[n, o, j] = b[o] + Σ_{c,k} w[o, c, k] · x[n, c, j·stride + k − padding] (zero outside x).</summary>
    private static double[] Reference(Tensor x, Tensor w, Tensor? b, int stride, int padding)
    {
        int batch = x.Shape[0], inC = x.Shape[1], length = x.Shape[2], outC = w.Shape[0], kernel = w.Shape[2];
        int outLength = (length + 2 * padding - kernel) / stride + 1;
        var y = new double[batch * outC * outLength];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outC; o++)
                for (int j = 0; j < outLength; j++)
                {
                    double sum = b is null ? 0 : b[o];
                    for (int c = 0; c < inC; c++)
                        for (int k = 0; k < kernel; k++)
                        {
                            int at = j * stride + k - padding;
                            if (at >= 0 && at < length) sum += (double)w[o, c, k] * x[n, c, at];
                        }
                    y[(n * outC + o) * outLength + j] = sum;
                }
        return y;
    }

    public static TheoryData<int, int, int, int, int> Configurations => new()
    {
        // length, kernel, stride, padding, outChannels
        { 10, 3, 1, 1, 4 },          // Whisper conv1: kernel 3, padding 1, stride 1
        { 10, 3, 2, 1, 4 },          // Whisper conv2: kernel 3, padding 1, stride 2
        { 11, 3, 2, 1, 3 },          // odd length with stride 2
        { 12, 5, 3, 0, 2 },
        { 7, 1, 1, 0, 5 },           // pointwise
        { 4, 8, 1, 2, 2 },           // kernel equals the padded length: one output
        { 5, 2, 1, 3, 3 },           // padding wider than the kernel: some outputs see only zeros
        { 9, 4, 4, 3, 2 },
    };

    [Theory, MemberData(nameof(Configurations))]
    public void Forward_MatchesDirectConvolution(int length, int kernel, int stride, int padding, int outChannels)
    {
        var t = GradientCheck.RandomInputs(length, -1f, 1f, [2, 3, length], [outChannels, 3, kernel], [outChannels]);
        var y = t[0].Conv1d(t[1], t[2], stride, padding);
        int outLength = (length + 2 * padding - kernel) / stride + 1;
        Assert.Equal([2, outChannels, outLength], y.Shape.ToArray());
        AssertClose(Reference(t[0], t[1], t[2], stride, padding), y.ToArray(), 1e-5);
        AssertClose(Reference(t[0], t[1], null, stride, padding), t[0].Conv1d(t[1], null, stride, padding).ToArray(), 1e-5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WhisperFrontEndSizes_MatchDirectConvolution(int stride)
    {
        var t = GradientCheck.RandomInputs(10 + stride, -1f, 1f, [2, 80, 60], [32, 80, 3], [32]);
        AssertClose(Reference(t[0], t[1], t[2], stride, 1), t[0].Conv1d(t[1], t[2], stride, padding: 1).ToArray(), 1e-4);
    }

    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(2, 1, 3)]
    [InlineData(2, 0, 2)]
    [InlineData(3, 2, 4)]
    public void Gradients_MatchFiniteDifferences(int stride, int padding, int kernel) =>
        GradientCheck.Verify(t => t[0].Conv1d(t[1], t[2], stride, padding),
            GradientCheck.RandomInputs(20 + stride, -1f, 1f, [2, 2, 7], [3, 2, kernel], [3]));

    [Fact]
    public void Gradients_WithoutBias_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].Conv1d(t[1], null, stride: 2, padding: 1),
            GradientCheck.RandomInputs(30, -1f, 1f, [1, 3, 6], [2, 3, 3]));

    [Fact]
    public void OnNonContiguousInputAndWeight_ForwardAndGradientsMatch()
    {
        var t = GradientCheck.RandomInputs(31, -1f, 1f, [2, 8, 3], [3, 2, 4], [4]);
        var x = t[0].Transpose();                                 // (2, 3, 8): batch 2, inC 3, length 8, strided
        var w = t[1].Permute(2, 0, 1);                            // (4, 3, 2): outC 4, inC 3, kernel 2, strided
        Assert.False(x.IsContiguous);
        Assert.False(w.IsContiguous);
        AssertClose(Reference(x, w, t[2], 2, 1), x.Conv1d(w, t[2], stride: 2, padding: 1).ToArray(), 1e-5);
        GradientCheck.Verify(u => u[0].Transpose().Conv1d(u[1].Permute(2, 0, 1), u[2], stride: 2, padding: 1), t);
    }

    [Fact]
    public void OnNarrowedInput_StrideOne_MatchesDirectConvolution()
    {
        var t = GradientCheck.RandomInputs(32, -1f, 1f, [2, 5, 12], [3, 2, 3]);
        GradientCheck.Verify(u => u[0].Narrow(1, 1, 2).Narrow(2, 2, 9).Conv1d(u[1], null, padding: 1), t);
        var x = t[0].Narrow(1, 1, 2).Narrow(2, 2, 9);
        AssertClose(Reference(x, t[1], null, 1, 1), x.Conv1d(t[1], null, padding: 1).ToArray(), 1e-5);
    }

    [Fact]
    public void InputGradient_IsSkippedWhenInputNeedsNone()
    {
        var x = GradientCheck.RandomInputs(40, -1f, 1f, [1, 2, 5])[0];
        var w = GradientCheck.RandomInputs(41, -1f, 1f, [3, 2, 3])[0];
        w.RequiresGrad = true;
        x.Conv1d(w, null, padding: 1).Backward(Tensor.Ones(1, 3, 5));
        Assert.Null(x.Grad);
        Assert.NotNull(w.Grad);
    }

    [Fact]
    public void ChannelMismatch_NamesOperationShapesAndChannels()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3, 10).Conv1d(Tensor.Zeros(4, 5, 3), null));
        Assert.Contains("Conv1d", error.Message);
        Assert.Contains("(2, 3, 10)", error.Message);
        Assert.Contains("(4, 5, 3)", error.Message);
        Assert.Contains("3 channels", error.Message);
    }

    [Fact]
    public void KernelLongerThanPaddedInput_Throws()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(1, 2, 4).Conv1d(Tensor.Zeros(3, 2, 7), null, padding: 1));
        Assert.Contains("Conv1d", error.Message);
        Assert.Contains("(1, 2, 4)", error.Message);
        Assert.Contains("(3, 2, 7)", error.Message);
        Assert.Contains("padded input length 6", error.Message);
    }

    [Fact]
    public void WrongRanksOrBias_Throw()
    {
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 10).Conv1d(Tensor.Zeros(4, 2, 3), null));
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(1, 2, 10).Conv1d(Tensor.Zeros(4, 2), null));
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(1, 2, 10).Conv1d(Tensor.Zeros(4, 2, 3), Tensor.Zeros(5)));
        Assert.Contains("(5,)", error.Message);
    }

    [Fact]
    public void BadStrideOrPadding_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(1, 2, 10).Conv1d(Tensor.Zeros(4, 2, 3), null, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(1, 2, 10).Conv1d(Tensor.Zeros(4, 2, 3), null, padding: -1));
    }

    private static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void ForwardAndBackward_InAScope_AllocateNothingAfterWarmUp()
    {
        var t = GradientCheck.RandomInputs(50, -1f, 1f, [2, 8, 20], [6, 8, 3], [6]);
        foreach (var p in t) p.RequiresGrad = true;
        void Step()
        {
            using (TensorScope.Begin())
            {
                var y = t[0].Conv1d(t[1], t[2], stride: 2, padding: 1);
                y.Backward(y);
            }
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }

}
