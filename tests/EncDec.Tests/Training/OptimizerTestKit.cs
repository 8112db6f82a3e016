using EncDec.Tensors;
using EncDec.Training;

namespace EncDec.Tests.Training;

/// <summary>
/// The inputs reference_optimizers.py feeds PyTorch: a (3, 5) matrix and a (7) vector with dyadic
/// values (exact in float32) and a gradient that changes sign and scale every step.
/// </summary>
internal static class OptimizerTestKit
{
    public static readonly int[][] Shapes = [[3, 5], [7]];

    public static double Initial(int k, int i) => ((i * 37 + 11 * k) % 19 - 9) / 8.0;

    public static double Gradient(int k, int i, int t) => ((i * 13 + 7 * t + 5 * k) % 23 - 11) / 16.0 * (1 + t / 4.0);

    /// <summary>Fresh parameters with the initial values, optionally of other shapes.</summary>
    public static Tensor[] NewParameters(int[][]? shapes = null)
    {
        shapes ??= Shapes;
        var parameters = new Tensor[shapes.Length];
        for (int k = 0; k < shapes.Length; k++)
        {
            int n = shapes[k].Aggregate(1, (a, b) => a * b);
            parameters[k] = Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)Initial(k, i)).ToArray(), shapes[k]);
            parameters[k].RequiresGrad = true;
            parameters[k].Name = $"p{k}";
        }
        return parameters;
    }

    /// <summary>Sets each parameter's gradient to the step-<paramref name="t"/> gradient.</summary>
    public static void SetGradients(IReadOnlyList<Tensor> parameters, int t)
    {
        for (int k = 0; k < parameters.Count; k++)
        {
            var values = Enumerable.Range(0, parameters[k].Count).Select(i => (float)Gradient(k, i, t)).ToArray();
            parameters[k].Grad = Tensor.FromArray(values, parameters[k].Shape);
        }
    }

    /// <summary>Runs steps <paramref name="first"/>..<paramref name="last"/> with the kit's gradients.</summary>
    public static void Run(IOptimizer optimizer, IReadOnlyList<Tensor> parameters, int first, int last)
    {
        for (int t = first; t <= last; t++)
        {
            SetGradients(parameters, t);
            optimizer.Step();
        }
    }

    public static void AssertClose(float[] expected, float[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= relative * (1 + Math.Abs(expected[i])),
                $"{what} element {i}: got {actual[i]:R}, expected {expected[i]:R}");
    }
}
