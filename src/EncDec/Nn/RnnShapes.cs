using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>Shape checks shared by the recurrent layers and RNN attentions; every message names the module and the shapes.</summary>
internal static class RnnShapes
{
    /// <summary>Throws unless <paramref name="tensor"/> has exactly <paramref name="expected"/> (-1 = any size).</summary>
    public static void Expect(string module, string what, Tensor tensor, params ReadOnlySpan<int> expected)
    {
        bool ok = tensor.Rank == expected.Length;
        for (int i = 0; ok && i < expected.Length; i++) ok = expected[i] < 0 || tensor.Shape[i] == expected[i];
        if (!ok)
            throw new ShapeMismatchException(module,
                $"{what} has shape {ShapeMath.Format(tensor.Shape)}, expected {FormatExpected(expected)}");
    }

    /// <summary>Uniform(−bound, bound) parameter of the given shape, as PyTorch initialises RNN and Linear weights.</summary>
    public static Tensor UniformParameter(RandomGenerator rng, float bound, params ReadOnlySpan<int> shape) =>
        Initializers.Uniform(Tensor.Zeros(shape), rng, -bound, bound);

    private static string FormatExpected(ReadOnlySpan<int> expected)
    {
        var parts = new string[expected.Length];
        for (int i = 0; i < expected.Length; i++) parts[i] = expected[i] < 0 ? "*" : expected[i].ToString();
        return $"({string.Join(", ", parts)})";
    }
}
