using EncDec.Kernels;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Operations;

/// <summary>
/// y = x · scale + shift (<c>Multiply</c>, <c>Add</c>, <c>Subtract</c>, <c>Divide</c>, <c>Negate</c>,
/// <c>SubtractFrom</c> by a number) against the same float arithmetic element by element: dense inputs short and long
/// enough to be split over threads, and a transposed view, whose elements are read in the view's order. Backward gives
/// dy · scale. In the serial collection because it changes the process-wide thread count.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public sealed class ScalarAffineOpTests : IDisposable
{
    private readonly int _threads = Parallelism.ThreadCount;

    public void Dispose() => Parallelism.ThreadCount = _threads;

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string op in new[] { "multiply", "add", "subtract", "divide", "negate", "subtract-from" })
            foreach (int rows in new[] { 3, 1100 })             // 1100 x 64 is past ElementwiseSplit.MinimumLength
                foreach (int threads in new[] { 1, 2 })
                    data.Add(op, rows, threads);
        return data;
    }

    private static Tensor Apply(string op, Tensor x) => op switch
    {
        "multiply" => x.Multiply(0.37f),
        "add" => x.Add(-1.25f),
        "subtract" => x.Subtract(0.5f),
        "divide" => x.Divide(3f),
        "negate" => x.Negate(),
        "subtract-from" => x.SubtractFrom(2f),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static (float Scale, float Shift) Affine(string op) => op switch
    {
        "multiply" => (0.37f, 0f),
        "add" => (1f, -1.25f),
        "subtract" => (1f, -0.5f),
        "divide" => (1f / 3f, 0f),
        "negate" => (-1f, 0f),
        "subtract-from" => (-1f, 2f),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static float Naive(float x, float scale, float shift)
    {
        float y = x;
        if (scale != 1f) y *= scale;
        if (shift != 0f) y += shift;
        return y;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesElementwiseArithmetic_ForDenseInputsAndViews(string op, int rows, int threads)
    {
        Parallelism.ThreadCount = threads;
        var (scale, shift) = Affine(op);
        var x = GradientCheck.RandomInputs(5, -2f, 2f, [rows, 64])[0];
        var values = x.ToArray();

        Assert.Equal(values.Select(v => Naive(v, scale, shift)), Apply(op, x).ToArray());

        var view = x.Transpose();                                   // (64, rows), not contiguous
        var expected = new float[values.Length];
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < rows; j++)
                expected[i * rows + j] = Naive(values[j * 64 + i], scale, shift);
        Assert.Equal(expected, Apply(op, view).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_IsTheUpstreamGradientTimesTheScale(string op, int rows, int threads)
    {
        Parallelism.ThreadCount = threads;
        var (scale, _) = Affine(op);
        var x = GradientCheck.RandomInputs(6, -2f, 2f, [rows, 64])[0];
        var dy = GradientCheck.RandomInputs(7, -1f, 1f, [rows, 64])[0];
        x.RequiresGrad = true;

        Apply(op, x).Backward(dy);

        Assert.Equal(dy.ToArray().Select(g => g * scale), x.Grad!.ToArray());
    }
}
