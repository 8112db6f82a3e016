using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// Many short softmax rows (attention scores) are spread over the kernel threads: forward and backward give the same
/// bits on one and two threads, and match a per-row double-precision definition.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public class SoftmaxSplitTests
{
    [Theory]
    [InlineData(2048, 37)]   // 75,776 elements: split
    [InlineData(1100, 60)]   // 66,000 elements: split, rows just under the scalar-maximum limit
    [InlineData(40, 30)]     // below the threshold: one thread
    public void ForwardAndBackward_AreTheSameOnOneAndTwoThreads(int rows, int n)
    {
        var rng = new Random(rows + n);
        var x = Enumerable.Range(0, rows * n).Select(_ => (float)(rng.NextDouble() * 16 - 8)).ToArray();
        var dy = Enumerable.Range(0, rows * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var (y1, dx1) = Run(x, dy, rows, n, threads: 1);
        var (y2, dx2) = Run(x, dy, rows, n, threads: 2);
        Assert.Equal(y1, y2);
        Assert.Equal(dx1, dx2);
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * n, n).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            double dot = 0;
            for (int j = 0; j < n; j++) dot += dy[r * n + j] * (Math.Exp(row[j] - max) / sum);
            for (int j = 0; j < n; j++)
            {
                double p = Math.Exp(row[j] - max) / sum;
                Assert.Equal(p, y1[r * n + j], 1e-6);
                Assert.Equal(0.5 + p * (dy[r * n + j] - dot), dx1[r * n + j], 1e-5);   // dx starts at 0.5: backward accumulates
            }
        }
    }

    private static (float[] Y, float[] Dx) Run(float[] x, float[] dy, int rows, int n, int threads)
    {
        using var scope = ThreadCountScope.Use(threads);
        var y = new float[x.Length];
        SoftmaxKernel.Forward(x, y, rows, n, 1, []);
        var dx = Enumerable.Repeat(0.5f, x.Length).ToArray();
        SoftmaxKernel.Backward(y, dy, dx, rows, n, 1, []);
        return (y, dx);
    }
}
