using EncDec.Autograd;
using EncDec.Tensors;
using Xunit.Sdk;

namespace EncDec.Tests.Autograd;

/// <summary>
/// Compares the analytic gradients of a function (from Backward) with central finite differences.
/// The function's output is reduced to L = sum(output * w) with fixed random weights w, so every
/// output element contributes with a distinct weight and a transposed or misplaced gradient shows.
/// L is accumulated in double; tolerances suit float32 forward passes.
/// </summary>
public static class GradientCheck
{
    /// <summary>Throws <see cref="XunitException"/> naming input, element, analytic and numeric values when any gradient is off.</summary>
    public static void Verify(Func<Tensor[], Tensor> function, Tensor[] inputs,
        float epsilon = 1e-2f, double absoluteTolerance = 2e-3, double relativeTolerance = 2e-2, int seed = 7)
    {
        foreach (var input in inputs) { input.RequiresGrad = true; input.Grad = null; }
        var output = function(inputs);
        var weights = RandomWeights(output.Count, seed);
        output.Backward(Tensor.FromArray(weights, output.Shape.ToArray()));
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            var analytic = input.Grad?.ToArray() ?? new float[input.Count];
            var data = input.AsSpan();
            for (int j = 0; j < input.Count; j++)
            {
                float original = data[j];
                data[j] = original + epsilon;
                double plus = WeightedSum(function, inputs, weights);
                data[j] = original - epsilon;
                double minus = WeightedSum(function, inputs, weights);
                data[j] = original;
                double numeric = (plus - minus) / (2 * epsilon);
                double error = Math.Abs(numeric - analytic[j]);
                if (error > absoluteTolerance + relativeTolerance * Math.Max(Math.Abs(numeric), Math.Abs(analytic[j])))
                    throw new XunitException(
                        $"gradient of input {i} {ShapeMath.Format(input.Shape)} at flat index {j}: analytic {analytic[j]:G6}, numeric {numeric:G6}");
            }
        }
    }

    /// <summary>Convenience: random inputs of the given shapes with values in [low, high).</summary>
    public static Tensor[] RandomInputs(int seed, float low, float high, params int[][] shapes)
    {
        var random = new Random(seed);
        return shapes.Select(shape =>
        {
            var values = new float[ShapeMath.Count(shape)];
            for (int i = 0; i < values.Length; i++) values[i] = low + (high - low) * random.NextSingle();
            return Tensor.FromArray(values, shape);
        }).ToArray();
    }

    private static double WeightedSum(Func<Tensor[], Tensor> function, Tensor[] inputs, float[] weights)
    {
        using var noGrad = GradMode.Disable();
        var values = function(inputs).ToArray();
        double sum = 0;
        for (int i = 0; i < values.Length; i++) sum += (double)values[i] * weights[i];
        return sum;
    }

    private static float[] RandomWeights(int count, int seed)
    {
        var random = new Random(seed);
        var weights = new float[count];
        for (int i = 0; i < count; i++) weights[i] = 0.5f + random.NextSingle();   // in [0.5, 1.5): no cancellation
        return weights;
    }
}
