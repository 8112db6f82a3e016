using EncDec.Tensors;
using EncDec.Training;
using static EncDec.Tests.Training.OptimizerTestKit;

namespace EncDec.Tests.Training;

/// <summary>Adafactor against a naive double-precision transcription of Hugging Face's Adafactor.step.</summary>
public class AdafactorTests
{
    private static readonly int[][] ShapesWithBatch = [[3, 5], [7], [2, 3, 4]];

    /// <summary>Options of one reference run (Hugging Face's names).</summary>
    private sealed record Options(double Lr = 0.01, double Beta1 = 0, double WeightDecay = 0, double ClipThreshold = 1,
        double DecayRate = -0.8, double Eps1 = 1e-30, double Eps2 = 1e-3, bool Factored = true, bool ScaleParameter = true,
        bool RelativeStep = false, bool WarmupInit = false);

    /// <summary>Hugging Face transformers' Adafactor.step for one parameter, in double, element by element.</summary>
    private static double[] Reference(int k, int[] shape, int steps, Options o)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        bool factored = o.Factored && shape.Length >= 2;
        int columns = shape[^1], rows = factored ? shape[^2] : 1, batch = n / (rows * columns);
        var p = Enumerable.Range(0, n).Select(i => Initial(k, i)).ToArray();
        var m = new double[n];
        var v = new double[n];
        var row = new double[batch * rows];
        var col = new double[batch * columns];
        for (int t = 1; t <= steps; t++)
        {
            var g = Enumerable.Range(0, n).Select(i => (double)(float)Gradient(k, i, t)).ToArray();
            double rms = Math.Sqrt(p.Sum(x => x * x) / n);
            double lr = o.RelativeStep ? Math.Min(o.WarmupInit ? 1e-6 * t : 1e-2, 1 / Math.Sqrt(t)) : o.Lr;
            if (o.ScaleParameter) lr *= Math.Max(o.Eps2, rms);
            double beta2t = 1 - Math.Pow(t, o.DecayRate);
            var u = g.Select(x => x * x + o.Eps1).ToArray();
            var update = new double[n];
            if (factored)
            {
                for (int b = 0; b < batch; b++)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        double mean = 0;
                        for (int c = 0; c < columns; c++) mean += u[(b * rows + r) * columns + c] / columns;
                        row[b * rows + r] = beta2t * row[b * rows + r] + (1 - beta2t) * mean;
                    }
                    for (int c = 0; c < columns; c++)
                    {
                        double mean = 0;
                        for (int r = 0; r < rows; r++) mean += u[(b * rows + r) * columns + c] / rows;
                        col[b * columns + c] = beta2t * col[b * columns + c] + (1 - beta2t) * mean;
                    }
                    double rowMean = Enumerable.Range(0, rows).Average(r => row[b * rows + r]);
                    for (int r = 0; r < rows; r++)
                        for (int c = 0; c < columns; c++)
                        {
                            int i = (b * rows + r) * columns + c;
                            update[i] = g[i] / Math.Sqrt(row[b * rows + r] / rowMean) / Math.Sqrt(col[b * columns + c]);
                        }
                }
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    v[i] = beta2t * v[i] + (1 - beta2t) * u[i];
                    update[i] = g[i] / Math.Sqrt(v[i]);
                }
            }
            double updateRms = Math.Sqrt(update.Sum(x => x * x) / n);
            double clip = Math.Max(1, updateRms / o.ClipThreshold);
            for (int i = 0; i < n; i++)
            {
                update[i] = update[i] / clip * lr;
                if (o.Beta1 > 0) update[i] = m[i] = o.Beta1 * m[i] + (1 - o.Beta1) * update[i];
                p[i] += p[i] * (-o.WeightDecay * lr);
                p[i] -= update[i];
            }
        }
        return p;
    }

    private static void AssertMatchesReference(Options o, int steps = 6, float? learningRate = null)
    {
        var parameters = NewParameters(ShapesWithBatch);
        var adafactor = new Adafactor(parameters, learningRate ?? (float)o.Lr, (float)o.Beta1, (float)o.WeightDecay, (float)o.ClipThreshold,
            (float)o.DecayRate, (float)o.Eps1, (float)o.Eps2, o.Factored, o.ScaleParameter, o.RelativeStep, o.WarmupInit);
        Run(adafactor, parameters, 1, steps);
        for (int k = 0; k < parameters.Length; k++)
        {
            // Compare displacements from the start, not weights: updates are ~1e-2 of the weights, so a
            // tolerance on the weights would hide a 0.1% error in the update. Each float32 step may round
            // the weight (|p| < 2) by about one ulp, 1.2e-7.
            var expected = Reference(k, ShapesWithBatch[k], steps, o);
            var actual = parameters[k].ToArray();
            double largest = Enumerable.Range(0, actual.Length).Max(i => Math.Abs(expected[i] - Initial(k, i)));
            for (int i = 0; i < actual.Length; i++)
            {
                double error = Math.Abs((actual[i] - Initial(k, i)) - (expected[i] - Initial(k, i)));
                Assert.True(error <= 1e-4 * largest + steps * 1.2e-7, $"parameter {k} element {i}: moved {actual[i] - Initial(k, i):R}, reference {expected[i] - Initial(k, i):R}");
            }
        }
    }

    [Fact]
    public void Factored_MatchesTheReference() => AssertMatchesReference(new Options());

    [Fact]
    public void FactoredUnclipped_MatchesTheReference() =>
        AssertMatchesReference(new Options(ClipThreshold: 1e3, Beta1: 0.5));   // clipping hides uniform scale errors; this does not

    [Fact]
    public void UnfactoredUnclipped_MatchesTheReference() => AssertMatchesReference(new Options(Factored: false, ClipThreshold: 1e3));

    [Fact]
    public void Unfactored_MatchesTheReference() => AssertMatchesReference(new Options(Factored: false));

    [Fact]
    public void WithFirstMomentAndWeightDecay_MatchesTheReference() =>
        AssertMatchesReference(new Options(Beta1: 0.9, WeightDecay: 0.1));

    [Fact]
    public void RelativeStep_MatchesTheReference_IgnoringTheLearningRate() =>
        AssertMatchesReference(new Options(RelativeStep: true), learningRate: 123f);

    [Fact]
    public void RelativeStepWithWarmupInit_MatchesTheReference() =>
        AssertMatchesReference(new Options(RelativeStep: true, WarmupInit: true, ScaleParameter: false));

    [Fact]
    public void TightClipThresholdAndFastDecay_MatchTheReference() =>
        AssertMatchesReference(new Options(ClipThreshold: 0.3, DecayRate: -0.5, Lr: 0.05, ScaleParameter: false));

    [Fact]
    public void FactoredSecondMoment_StoresRowsAndColumnsOnly()
    {
        var parameters = NewParameters(ShapesWithBatch);
        var adafactor = new Adafactor(parameters);
        Run(adafactor, parameters, 1, 1);
        var state = adafactor.ExportState();
        Assert.Equal(3, state.Buffers["0.exp_avg_sq_row"].Length);
        Assert.Equal(5, state.Buffers["0.exp_avg_sq_col"].Length);
        Assert.Equal(7, state.Buffers["1.exp_avg_sq"].Length);
        Assert.Equal(2 * 3, state.Buffers["2.exp_avg_sq_row"].Length);
        Assert.Equal(2 * 4, state.Buffers["2.exp_avg_sq_col"].Length);
    }

    [Fact]
    public void FirstStep_HasTheClippedUpdateRms_TimesTheStepSize()
    {
        // At t = 1, β̂₂ = 0 so v = g² + ε₁ and the unfactored update is ±1 everywhere (RMS 1, not clipped):
        // every weight moves by exactly lr against its gradient's sign.
        var parameters = NewParameters([[7]]);
        var before = parameters[0].ToArray();
        SetGradients(parameters, 1);
        new Adafactor(parameters, learningRate: 0.01f, scaleParameter: false).Step();
        var after = parameters[0].ToArray();
        for (int i = 0; i < 7; i++) Assert.Equal(-0.01f * MathF.Sign((float)Gradient(0, i, 1)), after[i] - before[i], 1e-6f);
    }

    [Fact]
    public void Constructor_RejectsWarmupInitWithoutRelativeStep() =>
        Assert.Throws<ArgumentException>(() => new Adafactor(NewParameters(), warmupInit: true));

    [Theory]
    [InlineData(-0.1f, 1f, -0.8f)]
    [InlineData(1f, 0f, -0.8f)]
    [InlineData(0f, 1f, 0f)]
    [InlineData(0f, 1f, -1.5f)]
    public void Constructor_RejectsOutOfRangeHyperparameters(float beta1, float clip, float decay) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adafactor(NewParameters(), beta1: beta1, clipThreshold: clip, decayRate: decay));
}
