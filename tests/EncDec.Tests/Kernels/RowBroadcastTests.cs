using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary><see cref="RowBroadcast"/> against plain loops, on row widths whose rows do not line up with the threads'
/// chunks, below and above the size from which it splits, on one and two threads.</summary>
[Collection(nameof(GemmSerialCollection))]
public sealed class RowBroadcastTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 3, 5, 1 }, { 300, 333, 1 }, { 300, 333, 2 }, { 70, 1000, 2 }, { 1920, 256, 2 }, { 7, 65_537, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Fill_WritesTheRowIntoEveryRow(int rows, int n, int threads)
    {
        using var scope = ThreadCountScope.Use(threads);
        var row = Enumerable.Range(0, n).Select(i => (float)i - 7f).ToArray();
        var output = new float[rows * n + 1];
        output[^1] = 42f;
        RowBroadcast.Fill(row, output.AsSpan(0, rows * n));
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
                Assert.Equal(row[j], output[r * n + j]);
        Assert.Equal(42f, output[^1]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SumRows_AddsTheScaledRowsInOrder_BitForBitAsOneLoop(int rows, int n, int threads)
    {
        using var scope = ThreadCountScope.Use(threads);
        var random = new Random(rows + n);
        var values = Enumerable.Range(0, rows * n).Select(_ => random.NextSingle() * 2f - 1f).ToArray();
        var start = Enumerable.Range(0, n).Select(_ => random.NextSingle()).ToArray();
        var expected = (float[])start.Clone();
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++) expected[j] = MathF.FusedMultiplyAdd(values[r * n + j], 0.5f, expected[j]);
        var actual = (float[])start.Clone();
        RowBroadcast.SumRows(values, actual, 0.5f);
        for (int j = 0; j < n; j++) Assert.Equal(expected[j], actual[j], 1e-5f);
        var single = (float[])start.Clone();
        using (ThreadCountScope.Use(1)) RowBroadcast.SumRows(values, single, 0.5f);
        Assert.Equal(single, actual);
    }

    [Fact]
    public void PartialRows_AreRejected_AndEmptyInputsDoNothing()
    {
        Assert.Throws<ArgumentException>(() => RowBroadcast.Fill(new float[3], new float[7]));
        Assert.Throws<ArgumentException>(() => RowBroadcast.SumRows(new float[7], new float[3], 1f));
        RowBroadcast.Fill([], []);
        RowBroadcast.SumRows([], new float[3], 1f);
    }
}
