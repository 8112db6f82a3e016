using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Autograd;

/// <summary>Dense gradients (same-shape uses, reshapes, dense copies) are written on first arrival and added after, in
/// spans long enough to be split over the threads.</summary>
[Collection(nameof(GemmSerialCollection))]   // changes the process-wide thread count
public class GradientReductionTests
{
    private const int Rows = 300, Columns = 256;   // 76,800 elements: above the split threshold

    private static Tensor Pattern(int modulus, float scale, params int[] shape) =>
        Tensor.FromArray(Enumerable.Range(0, ShapeMath.Count(shape)).Select(i => scale * (i % modulus)).ToArray(), shape);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LongDenseGradients_FromFourUses_SumToTheirClosedForm(int threads)
    {
        using var scope = ThreadCountScope.Use(threads);
        var x = Pattern(13, 0.5f, Rows, Columns);
        x.RequiresGrad = true;
        var (u1, u2, u3, u4) = (Pattern(7, 1f, Rows, Columns), Pattern(5, 0.25f, 600, 128), Pattern(3, 2f, Columns, Rows),
            Pattern(11, 1f, Rows, Columns));
        var c = Tensor.Full(1f, Rows, Columns);
        var loss = ((x + c) * u1).Sum()                          // add: dx = u1, written (first use)
            + (x.Reshape(600, 128) * u2).Sum()                   // reshape: dx += u2 in row-major order
            + (x.Transpose().Contiguous() * u3).Sum()            // dense copy of a view: dx += u3 transposed
            + ((c - x) * u4).Sum();                              // subtract: dx += -1 * u4
        loss.Backward();
        var grad = x.Grad!.ToArray();
        float[] a = u1.ToArray(), b = u2.ToArray(), t = u3.ToArray(), d = u4.ToArray();
        for (int r = 0; r < Rows; r++)
            for (int j = 0; j < Columns; j++)
            {
                int at = r * Columns + j;
                Assert.Equal(a[at] + b[at] + t[j * Rows + r] - d[at], grad[at], 1e-4f);
            }
    }

    [Fact]
    public void LongDenseGradients_AreTheSameOnOneAndTwoThreads()
    {
        float[] Run(int threads)
        {
            using var scope = ThreadCountScope.Use(threads);
            var x = Pattern(13, 0.5f, Rows, Columns);
            x.RequiresGrad = true;
            var loss = (x.Reshape(600, 128) * Pattern(5, 0.25f, 600, 128)).Sum() - (x * 3f).Sum() + (x + x).Sum();
            loss.Backward();
            return x.Grad!.ToArray();
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void AccumulateDense_RejectsAGradientOfAnotherSize()
    {
        var x = Tensor.Zeros(4, 6);
        var error = Assert.Throws<ArgumentException>(() => EncDec.Autograd.GradientReduction.AccumulateDense(x, new float[23]));
        Assert.Contains("23", error.Message);
    }
}
