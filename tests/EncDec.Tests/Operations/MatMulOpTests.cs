using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class MatMulOpTests
{
    public static TheoryData<int[], int[], bool, bool> Cases => new()
    {
        { new[] { 3, 4 }, new[] { 4, 5 }, false, false },
        { new[] { 4, 3 }, new[] { 4, 5 }, true, false },
        { new[] { 3, 4 }, new[] { 5, 4 }, false, true },
        { new[] { 4, 3 }, new[] { 5, 4 }, true, true },
        { new[] { 2, 3, 4 }, new[] { 2, 4, 5 }, false, false },
        { new[] { 2, 4, 3 }, new[] { 2, 5, 4 }, true, true },
        { new[] { 2, 3, 4 }, new[] { 4, 5 }, false, false },          // folded into one GEMM
        { new[] { 2, 4, 3 }, new[] { 4, 5 }, true, false },           // shared B, batched loop
        { new[] { 3, 4 }, new[] { 2, 4, 5 }, false, false },          // shared A
        { new[] { 2, 2, 3, 4 }, new[] { 2, 2, 5, 4 }, false, true },  // attention-like scores
    };

    [Theory, MemberData(nameof(Cases))]
    public void MatMul_Gradients_MatchFiniteDifferences(int[] a, int[] b, bool transposeA, bool transposeB) =>
        GradientCheck.Verify(t => t[0].MatMul(t[1], transposeA, transposeB), GradientCheck.RandomInputs(11, -1, 1, a, b));

    [Theory, MemberData(nameof(Cases))]
    public void MatMul_Forward_EqualsNaiveProduct(int[] a, int[] b, bool transposeA, bool transposeB)
    {
        var inputs = GradientCheck.RandomInputs(12, -1, 1, a, b);
        var c = inputs[0].MatMul(inputs[1], transposeA, transposeB);
        var expected = NaiveMatMul(inputs[0], inputs[1], transposeA, transposeB);
        Assert.Equal(expected.Length, c.Count);
        var actual = c.ToArray();
        for (int i = 0; i < actual.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Fact]
    public void MatMul_OnNonContiguousViews_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Narrow(1, 1, 4).Transpose().MatMul(t[1].Permute(1, 0, 2).Narrow(0, 0, 2)),
            GradientCheck.RandomInputs(13, -1, 1, [3, 6], [3, 2, 5]));

    [Fact]
    public void MatMul_InnerMismatch_NamesBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("MatMul", error.Message);
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(4, 5)", error.Message);
    }

    [Fact]
    public void MatMul_BatchMismatch_Throws() =>
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3, 4).MatMul(Tensor.Zeros(3, 4, 5)));

    private static float[] NaiveMatMul(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        int m = transposeA ? a.Dim(-1) : a.Dim(-2), k = transposeA ? a.Dim(-2) : a.Dim(-1);
        int n = transposeB ? b.Dim(-2) : b.Dim(-1);
        int batchA = a.Count / (m * k), batchB = b.Count / (k * n), batch = Math.Max(batchA, batchB);
        float[] av = a.ToArray(), bv = b.ToArray(), c = new float[batch * m * n];
        for (int t = 0; t < batch; t++)
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                int ai = (batchA == 1 ? 0 : t * m * k) + (transposeA ? p * m + i : i * k + p);
                int bi = (batchB == 1 ? 0 : t * k * n) + (transposeB ? j * k + p : p * n + j);
                sum += av[ai] * bv[bi];
            }
            c[(t * m + i) * n + j] = (float)sum;
        }
        return c;
    }
}
