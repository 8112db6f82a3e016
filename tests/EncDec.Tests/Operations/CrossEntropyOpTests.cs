using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class CrossEntropyOpTests
{
    /// <summary>PyTorch's F.cross_entropy(reduction='mean', label_smoothing=ε, ignore_index) and its gradient,
    /// written independently in double: loss_i = (1−ε)(−log p_t) + ε·mean_v(−log p_v), d/dx = (p − q) / N.</summary>
    private static (double Loss, double[] Grad) Reference(float[] logits, int[] targets, int classes, double smoothing, int ignoreIndex)
    {
        var grad = new double[logits.Length];
        int count = targets.Count(t => t != ignoreIndex);
        double total = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            if (targets[r] == ignoreIndex) continue;
            var row = logits.Skip(r * classes).Take(classes).Select(v => (double)v).ToArray();
            double max = row.Max();
            double logZ = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            total += (1 - smoothing) * (logZ - row[targets[r]]) + smoothing * row.Average(v => logZ - v);
            for (int j = 0; j < classes; j++)
            {
                double q = (j == targets[r] ? 1 - smoothing : 0) + smoothing / classes;
                grad[r * classes + j] = Math.Exp(row[j] - logZ) - q;
            }
        }
        if (count == 0) return (0, grad);
        return (total / count, grad.Select(g => g / count).ToArray());
    }

    public static TheoryData<float, int> SmoothingAndIgnore => new() { { 0f, -100 }, { 0.1f, -100 }, { 0f, 2 }, { 0.1f, -1 }, { 1f, -100 } };

    [Theory, MemberData(nameof(SmoothingAndIgnore))]
    public void LossAndGradient_MatchDoubleReference(float smoothing, int ignoreIndex)
    {
        var logits = GradientCheck.RandomInputs(1, -3f, 3f, [6, 5])[0];
        int[] ids = [1, 4, 2, 0, -1, 3];
        var targets = new IntTensor(ids.Select(t => t == -1 && ignoreIndex != -1 ? 2 : t).ToArray(), 6);
        logits.RequiresGrad = true;
        var loss = logits.CrossEntropy(targets, out int count, smoothing, ignoreIndex);
        loss.Backward();

        var (expectedLoss, expectedGrad) = Reference(logits.ToArray(), targets.AsSpan().ToArray(), 5, smoothing, ignoreIndex);
        Assert.Equal(0, loss.Rank);
        Assert.Equal(targets.AsSpan().ToArray().Count(t => t != ignoreIndex), count);
        Assert.Equal(expectedLoss, loss.Item(), 1e-5);
        var grad = logits.Grad!.ToArray();
        for (int i = 0; i < grad.Length; i++) Assert.Equal(expectedGrad[i], grad[i], 1e-6);
    }

    [Theory, MemberData(nameof(SmoothingAndIgnore))]
    public void Gradient_IsWrittenIntoAFreshBuffer_AndAddedToAnExistingOne(float smoothing, int ignoreIndex)
    {
        int[] ids = [1, 4, 2, 0, -1, 3];
        var targets = new IntTensor(ids.Select(t => t == -1 && ignoreIndex != -1 ? 2 : t).ToArray(), 6);
        var logits = GradientCheck.RandomInputs(2, -3f, 3f, [6, 5])[0];
        var (_, expected) = Reference(logits.ToArray(), targets.AsSpan().ToArray(), 5, smoothing, ignoreIndex);
        using (TensorScope.Begin())
        {
            // A fresh gradient comes from the pool uninitialised: fill the pool with NaNs of the same size first, so an
            // ignored row that is not written shows.
            Tensor.Full(float.NaN, 6, 5);
        }
        using (TensorScope.Begin())
        {
            logits.RequiresGrad = true;
            var y = logits.Multiply(1f);   // a scoped, non-leaf tensor whose gradient comes from the pool
            y.CrossEntropy(targets, smoothing, ignoreIndex).Backward();
            var once = logits.Grad!.ToArray();
            for (int i = 0; i < once.Length; i++) Assert.Equal(expected[i], once[i], 1e-6);
            y.CrossEntropy(targets, smoothing, ignoreIndex).Backward();   // y's gradient exists now: added to (2g), then g + 2g
        }
        var twice = logits.Grad!.ToArray();
        for (int i = 0; i < twice.Length; i++) Assert.Equal(3 * expected[i], twice[i], 1e-5);
    }

    [Fact]
    public void KnownValue_UniformLogits_IsLogV()
    {
        var loss = Tensor.Zeros(3, 8).CrossEntropy(new IntTensor([0, 5, 7], 3));
        Assert.Equal(Math.Log(8), loss.Item(), 1e-6);
    }

    [Fact]
    public void Rank3Logits_WithPadding_MatchReference()
    {
        var logits = GradientCheck.RandomInputs(2, -2f, 2f, [2, 3, 7])[0];
        int[] ids = [6, 0, -100, 3, -100, -100];
        var loss = logits.CrossEntropy(new IntTensor(ids, 2, 3), out int count, labelSmoothing: 0.1f);
        Assert.Equal(3, count);
        Assert.Equal(Reference(logits.ToArray(), ids, 7, 0.1, -100).Loss, loss.Item(), 1e-5);
    }

    [Fact]
    public void Rank1Logits_TakeARank0Target()
    {
        var logits = Tensor.FromArray([1f, 2f, 3f], 3);
        var loss = logits.CrossEntropy(new IntTensor([2], ReadOnlySpan<int>.Empty));
        Assert.Equal(Reference([1f, 2f, 3f], [2], 3, 0, -100).Loss, loss.Item(), 1e-6);
    }

    [Fact]
    public void Gradients_WithSmoothingAndIgnoredPositions_MatchFiniteDifferences()
    {
        var targets = new IntTensor([3, -100, 0, 4], 4);
        GradientCheck.Verify(t => t[0].CrossEntropy(targets, 0.1f), GradientCheck.RandomInputs(3, -2f, 2f, [4, 5]));
    }

    [Fact]
    public void Gradients_OnTransposedLogits_MatchFiniteDifferences()
    {
        var targets = new IntTensor([1, 0, 2, 2], 4);
        GradientCheck.Verify(t => t[0].Transpose().CrossEntropy(targets, 0.2f), GradientCheck.RandomInputs(4, -2f, 2f, [3, 4]));
    }

    [Fact]
    public void AllTargetsIgnored_GivesZeroLossAndZeroGradient()
    {
        var logits = GradientCheck.RandomInputs(5, -1f, 1f, [3, 4])[0];
        logits.RequiresGrad = true;
        var loss = logits.CrossEntropy(new IntTensor([-100, -100, -100], 3), out int count, 0.1f);
        loss.Backward();
        Assert.Equal(0, count);
        Assert.Equal(0f, loss.Item());
        Assert.All(logits.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void HugeLogits_StayFiniteAndExact()
    {
        float[] values = [1e4f, -1e4f, 0f, 1e4f - 1f, 3e4f, 3e4f, -3e4f, 2.9999e4f];
        var logits = Tensor.FromArray(values, 2, 4);
        logits.RequiresGrad = true;
        int[] ids = [3, 2];
        var loss = logits.CrossEntropy(new IntTensor(ids, 2), labelSmoothing: 0.1f);
        loss.Backward();
        var (expected, expectedGrad) = Reference(values, ids, 4, 0.1, -100);
        Assert.True(float.IsFinite(loss.Item()));
        Assert.Equal(expected, loss.Item(), 1e-3 * expected);
        var grad = logits.Grad!.ToArray();
        for (int i = 0; i < grad.Length; i++)
        {
            Assert.True(float.IsFinite(grad[i]));
            Assert.Equal(expectedGrad[i], grad[i], 1e-5);
        }
    }

    [Fact]
    public void ManyRows_ParallelPath_MatchesReference()
    {
        const int rows = 300, classes = 1500;                     // 450k logits: threaded, and rows span several blocks
        var logits = GradientCheck.RandomInputs(6, -4f, 4f, [rows, classes])[0];
        var random = new Random(6);
        var ids = Enumerable.Range(0, rows).Select(_ => random.Next(-1, classes)).ToArray();
        logits.RequiresGrad = true;
        var loss = logits.CrossEntropy(new IntTensor(ids, rows), 0.1f, ignoreIndex: -1);
        loss.Backward();
        var (expected, expectedGrad) = Reference(logits.ToArray(), ids, classes, 0.1, -1);
        Assert.Equal(expected, loss.Item(), 1e-4);
        var grad = logits.Grad!.ToArray();
        for (int i = 0; i < grad.Length; i++) Assert.Equal(expectedGrad[i], grad[i], 1e-8);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    public void TargetOutOfRange_NamesValuePositionAndClassCount(int bad)
    {
        var targets = new IntTensor([0, 1, 2, 3, bad, 4], 2, 3);
        var error = Assert.Throws<IndexOutOfRangeException>(() => Tensor.Zeros(2, 3, 5).CrossEntropy(targets));
        Assert.Contains("CrossEntropy", error.Message);
        Assert.Contains($"target {bad}", error.Message);
        Assert.Contains("(1, 1)", error.Message);
        Assert.Contains("[0, 5)", error.Message);
    }

    [Fact]
    public void IgnoreIndexInsideTheClassRange_IsIgnored()
    {
        var logits = GradientCheck.RandomInputs(7, -1f, 1f, [3, 4])[0];
        var loss = logits.CrossEntropy(new IntTensor([0, 2, 0], 3), out int count, ignoreIndex: 0);
        Assert.Equal(1, count);
        Assert.Equal(Reference(logits.ToArray(), [0, 2, 0], 4, 0, 0).Loss, loss.Item(), 1e-6);
    }

    [Fact]
    public void TargetShapeMismatch_NamesOperationAndBothShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(4, 5).CrossEntropy(new IntTensor([0, 1, 2], 3)));
        Assert.Contains("CrossEntropy", error.Message);
        Assert.Contains("(4, 5)", error.Message);
        Assert.Contains("(3,)", error.Message);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    public void SmoothingOutsideZeroToOne_Throws(float smoothing) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).CrossEntropy(new IntTensor([0, 1], 2), smoothing));

    [Theory]
    [InlineData(8, 50)]
    [InlineData(64, 2048)]                                        // the threaded path
    public void ForwardAndBackward_InAScope_AllocateNothingAfterWarmUp(int rows, int classes)
    {
        var logits = GradientCheck.RandomInputs(8, -1f, 1f, [rows, classes])[0];
        logits.RequiresGrad = true;
        var targets = new IntTensor(Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? -100 : i % classes).ToArray(), rows);
        void Step()
        {
            using (TensorScope.Begin())
            {
                logits.CrossEntropy(targets, 0.1f).Backward();
            }
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }

}
