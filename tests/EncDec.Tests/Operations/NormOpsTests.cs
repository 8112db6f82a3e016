using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Operations;

[Collection(nameof(GemmSerialCollection))]   // changes the process-wide thread count
public class NormOpsTests
{
    /// <summary>LayerNorm (biased variance) or RMSNorm of each last-axis row, in double, as PyTorch defines them.</summary>
    private static double[] Reference(bool rms, float[] x, int dim, float[]? weight, float[]? bias, double epsilon)
    {
        var result = new double[x.Length];
        for (int start = 0; start < x.Length; start += dim)
        {
            var row = x.AsSpan(start, dim).ToArray().Select(v => (double)v).ToArray();
            double mean = rms ? 0 : row.Average();
            double meanSquare = row.Select(v => (v - mean) * (v - mean)).Average();
            double rstd = 1 / Math.Sqrt(meanSquare + epsilon);
            for (int j = 0; j < dim; j++)
                result[start + j] = (row[j] - mean) * rstd * (weight?[j] ?? 1) + (bias?[j] ?? 0);
        }
        return result;
    }

    private static Tensor Norm(bool rms, Tensor x, Tensor? weight, Tensor? bias) =>
        rms ? x.RmsNorm(weight) : x.LayerNorm(weight, bias);

    [Fact]
    public void LayerNorm_Gradients_ForInputWeightAndBias_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].LayerNorm(t[1], t[2]), GradientCheck.RandomInputs(1, -1, 1, [3, 5], [5], [5]));

    [Fact]
    public void RmsNorm_Gradients_ForInputAndWeight_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].RmsNorm(t[1]), GradientCheck.RandomInputs(2, -1, 1, [3, 5], [5]));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithoutAffineParameters_Gradients_MatchFiniteDifferences(bool rms) =>
        GradientCheck.Verify(t => Norm(rms, t[0], null, null), GradientCheck.RandomInputs(3, -1, 1, [2, 3, 4]));

    [Fact]
    public void LayerNorm_WeightOnlyAndBiasOnly_Gradients_MatchFiniteDifferences()
    {
        GradientCheck.Verify(t => t[0].LayerNorm(t[1], null), GradientCheck.RandomInputs(4, -1, 1, [3, 4], [4]));
        GradientCheck.Verify(t => t[0].LayerNorm(null, t[1]), GradientCheck.RandomInputs(5, -1, 1, [3, 4], [4]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TransposedInput_Gradients_MatchFiniteDifferences(bool rms) =>
        GradientCheck.Verify(t => Norm(rms, t[0].Transpose(), t[1], rms ? null : t[2]),
            GradientCheck.RandomInputs(6, -1, 1, [5, 3], [5], [5]));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forward_MatchesDoublePrecision_OnContiguousAndStridedInput(bool rms)
    {
        var inputs = GradientCheck.RandomInputs(7, -3, 3, [4, 6], [6], [6]);
        var (x, w, b) = (inputs[0], inputs[1], rms ? null : inputs[2]);
        var expected = Reference(rms, x.ToArray(), 6, w.ToArray(), b?.ToArray(), rms ? 1e-6 : 1e-5);
        OpTestData.AssertClose(expected, Norm(rms, x, w, b).ToArray(), 2e-6, 2e-6);
        var strided = inputs[0].Reshape(6, 4).Transpose();          // (4, 6), non-contiguous
        expected = Reference(rms, strided.ToArray(), 6, w.ToArray(), b?.ToArray(), rms ? 1e-6 : 1e-5);
        OpTestData.AssertClose(expected, Norm(rms, strided, w, b).ToArray(), 2e-6, 2e-6, "strided");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forward_OnRowsSplitAcrossThreads_MatchesDoublePrecision_AndOneThread(bool rms)
    {
        // (601, 128): past the size from which rows are spread over the threads, with an odd row count.
        var inputs = GradientCheck.RandomInputs(8, -3, 3, [601, 128], [128], [128]);
        var (x, w, b) = (inputs[0], inputs[1], rms ? null : inputs[2]);
        var expected = Reference(rms, x.ToArray(), 128, w.ToArray(), b?.ToArray(), rms ? 1e-6 : 1e-5);
        float[] single, split;
        using (ThreadCountScope.Use(1)) single = Norm(rms, x, w, b).ToArray();
        using (ThreadCountScope.Use(2)) split = Norm(rms, x, w, b).ToArray();
        OpTestData.AssertClose(expected, split, 2e-6, 2e-6);
        Assert.Equal(single, split);
    }

    [Fact]
    public void LayerNorm_RowsHaveZeroMeanAndUnitBiasedVariance()
    {
        var y = GradientCheck.RandomInputs(8, 100, 104, [3, 64])[0].LayerNorm(null, null, epsilon: 0f).ToArray();
        for (int r = 0; r < 3; r++)
        {
            var row = y.AsSpan(r * 64, 64).ToArray();
            Assert.Equal(0, row.Average(), 1e-5);
            Assert.Equal(1, row.Select(v => (double)v * v).Average(), 1e-4);
        }
    }

    [Fact]
    public void LayerNorm_ConstantRow_GivesBias_AndFiniteGradients()
    {
        var x = Tensor.Full(3f, 2, 4);
        var w = Tensor.FromArray([1f, 2f, 3f, 4f], 4);
        var b = Tensor.FromArray([0.5f, -0.5f, 0f, 1f], 4);
        foreach (var t in new[] { x, w, b }) t.RequiresGrad = true;
        var y = x.LayerNorm(w, b);
        Assert.Equal([0.5f, -0.5f, 0f, 1f, 0.5f, -0.5f, 0f, 1f], y.ToArray());
        y.Backward(Tensor.Ones(2, 4));
        Assert.All(x.Grad!.ToArray().Concat(w.Grad!.ToArray()), g => Assert.True(float.IsFinite(g)));
        Assert.Equal([2f, 2f, 2f, 2f], b.Grad!.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WeightGradient_WhenOnlyTheWeightRequiresGrad_IsSumOfDyTimesNormalisedInput(bool rms)
    {
        var x = GradientCheck.RandomInputs(9, -2, 2, [3, 4])[0];           // no RequiresGrad
        var w = Tensor.FromArray([1f, -1f, 0.5f, 2f], 4);
        w.RequiresGrad = true;
        var dy = GradientCheck.RandomInputs(10, -1, 1, [3, 4])[0];
        Norm(rms, x, w, null).Backward(dy);
        var normalised = Reference(rms, x.ToArray(), 4, null, null, rms ? 1e-6 : 1e-5);
        var dys = dy.ToArray();
        var expected = Enumerable.Range(0, 4).Select(j => Enumerable.Range(0, 3).Sum(r => dys[r * 4 + j] * normalised[r * 4 + j])).ToArray();
        OpTestData.AssertClose(expected, w.Grad!.ToArray(), 1e-5, 1e-6);
        Assert.Null(x.Grad);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StridedWeight_GivesTheSameValuesAndGradients_AsAContiguousOne(bool rms)
    {
        var x = GradientCheck.RandomInputs(11, -1, 1, [2, 3])[0];
        var storage = Tensor.FromArray([0.5f, 9f, 1.5f, 9f, -2f, 9f], 6);
        var strided = Tensor.CreateView(storage, 0, [3], [2]);              // (3,) with stride 2
        var dense = Tensor.FromArray([0.5f, 1.5f, -2f], 3);
        foreach (var w in new[] { strided, dense }) w.RequiresGrad = true;
        var dy = Tensor.FromArray([1f, 2f, 3f, -1f, 0.5f, 0f], 2, 3);
        var a = Norm(rms, x, strided, null);
        var b = Norm(rms, x, dense, null);
        Assert.Equal(b.ToArray(), a.ToArray());
        a.Backward(dy);
        b.Backward(dy);
        Assert.Equal(dense.Grad!.ToArray(), strided.Grad!.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrongWeightShape_NamesOperationAndBothShapes(bool rms)
    {
        var x = Tensor.Zeros(3, 5);
        var error = Assert.Throws<ShapeMismatchException>(() => Norm(rms, x, Tensor.Ones(4), null));
        Assert.Contains(rms ? "RmsNorm" : "LayerNorm", error.Message);
        Assert.Contains("(3, 5)", error.Message);
        Assert.Contains("(4,)", error.Message);
        Assert.Contains("weight", error.Message);
        Assert.Throws<ShapeMismatchException>(() => Norm(rms, x, Tensor.Ones(1, 5), null));
    }

    [Fact]
    public void LayerNorm_WrongBiasShape_NamesBiasAndBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 5).LayerNorm(Tensor.Ones(5), Tensor.Ones(6)));
        Assert.Contains("LayerNorm", error.Message);
        Assert.Contains("bias", error.Message);
        Assert.Contains("(2, 5)", error.Message);
        Assert.Contains("(6,)", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ScalarInput_AndBadEpsilon_AreRejected(bool rms)
    {
        var name = rms ? "RmsNorm" : "LayerNorm";
        Assert.Contains(name, Assert.Throws<ShapeMismatchException>(() => Norm(rms, Tensor.Scalar(1f), null, null)).Message);
        foreach (float epsilon in new[] { -1e-5f, float.NaN, float.PositiveInfinity })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
                rms ? Tensor.Ones(2, 3).RmsNorm(null, epsilon) : Tensor.Ones(2, 3).LayerNorm(null, null, epsilon));
            Assert.Contains(name, error.Message);
            Assert.Contains("epsilon", error.Message);
        }
    }

    [Fact]
    public void EmptyTensors_GiveEmptyResults()
    {
        Assert.Equal([0, 4], Tensor.Zeros(0, 4).LayerNorm(Tensor.Ones(4), Tensor.Zeros(4)).Shape.ToArray());
        Assert.Equal([3, 0], Tensor.Zeros(3, 0).RmsNorm(null).Shape.ToArray());
    }

    [Fact]
    public void InsideScope_AllocateNothingAfterWarmUp()
    {
        var inputs = GradientCheck.RandomInputs(16, -1, 1, [4, 6], [6], [6], [6, 4]);
        foreach (var input in inputs) input.RequiresGrad = true;
        var seed = Tensor.Ones(4, 6);
        void Step()
        {
            using var scope = TensorScope.Begin();
            inputs[0].LayerNorm(inputs[1], inputs[2]).Backward(seed);
            inputs[3].Transpose().LayerNorm(null, inputs[2]).Backward(seed);
            inputs[0].RmsNorm(inputs[1]).Backward(seed);
            inputs[3].Transpose().RmsNorm(null).Backward(seed);
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }
}
