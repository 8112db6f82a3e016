using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Operations;

[Collection(nameof(GemmSerialCollection))]   // changes the process-wide thread count
public class GatherOpsTests
{
    private static Tensor Range(params int[] shape)
    {
        var values = new float[ShapeMath.Count(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = i;
        return Tensor.FromArray(values, shape);
    }

    [Fact]
    public void IndexSelect_Axis0_PicksRows()
    {
        var y = Range(3, 2).IndexSelect(0, new IntTensor([2, 0, 2], 3));
        Assert.Equal([3, 2], y.Shape.ToArray());
        Assert.Equal([4f, 5f, 0f, 1f, 4f, 5f], y.ToArray());
    }

    [Fact]
    public void IndexSelect_MiddleAxis_WithRank2Indices_ReplacesThatDimension()
    {
        var x = Range(2, 3, 2);                                   // x[o, k, j] = 6o + 2k + j
        var indices = new IntTensor([1, 1, 0, 2], 2, 2);
        var y = x.IndexSelect(-2, indices);
        Assert.Equal([2, 2, 2, 2], y.Shape.ToArray());
        for (int o = 0; o < 2; o++)
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                    for (int j = 0; j < 2; j++)
                        Assert.Equal(6 * o + 2 * indices[a, b] + j, y[o, a, b, j]);
    }

    [Fact]
    public void IndexSelect_LastAxis_OfTransposed_AndScalarIndex()
    {
        var x = Range(2, 3).Transpose();                          // (3, 2): [[0, 3], [1, 4], [2, 5]]
        Assert.Equal([3f, 0f, 4f, 1f, 5f, 2f], x.IndexSelect(1, new IntTensor([1, 0], 2)).ToArray());
        var column = x.IndexSelect(1, new IntTensor([1], ReadOnlySpan<int>.Empty));
        Assert.Equal([3], column.Shape.ToArray());
        Assert.Equal([3f, 4f, 5f], column.ToArray());
    }

    [Fact]
    public void IndexSelect_Gradients_WithDuplicates_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].IndexSelect(1, new IntTensor([2, 0, 2, 2, 3, 0], 2, 3)),
            GradientCheck.RandomInputs(1, -1, 1, [2, 4, 3]));

    [Fact]
    public void IndexSelect_OfNonContiguous_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Transpose().IndexSelect(0, new IntTensor([1, 1, 0], 3)) * t[1],
            GradientCheck.RandomInputs(2, -1, 1, [4, 2], [3, 4]));

    [Fact]
    public void IndexSelect_OutOfRange_NamesIndexPositionAndBound()
    {
        var error = Assert.Throws<IndexOutOfRangeException>(() => Range(2, 4).IndexSelect(1, new IntTensor([0, 4], 2)));
        Assert.Contains("IndexSelect", error.Message);
        Assert.Contains("index 4 at position 1", error.Message);
        Assert.Contains("size 4", error.Message);
        Assert.Contains("(2, 4)", error.Message);
        Assert.Throws<IndexOutOfRangeException>(() => Range(2, 4).IndexSelect(0, new IntTensor([-1], 1)));
    }

    [Fact]
    public void Embedding_LooksUpRows_ForBatchOfSequences()
    {
        var weight = Range(5, 3);                                 // row v = [3v, 3v+1, 3v+2]
        var ids = new IntTensor([4, 0, 2, 2, 1, 3], 2, 3);
        var y = weight.Embedding(ids);
        Assert.Equal([2, 3, 3], y.Shape.ToArray());
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 3; t++)
                for (int d = 0; d < 3; d++)
                    Assert.Equal(3 * ids[b, t] + d, y[b, t, d]);
    }

    [Fact]
    public void Embedding_DuplicateIds_AccumulateGradients()
    {
        var weight = Tensor.Zeros(4, 2);
        weight.RequiresGrad = true;
        var y = weight.Embedding(new IntTensor([1, 3, 1, 1], 4));
        y.Backward(Tensor.FromArray([1f, 2f, 10f, 20f, 100f, 200f, 1000f, 2000f], 4, 2));
        Assert.Equal([0f, 0f, 1101f, 2202f, 0f, 0f, 10f, 20f], weight.Grad!.ToArray());
    }

    [Theory]
    [InlineData(100)]   // column blocks of 64 and a ragged 36
    [InlineData(256)]
    public void Embedding_LongLookups_SplitOverThreads_MatchOneThread_AndTheRowByRowSums(int dim)
    {
        // 700 ids (past the size from which both loops are split), drawn from 9 rows so that every row repeats often.
        var ids = new int[700];
        for (int i = 0; i < ids.Length; i++) ids[i] = i * 7 % 9;
        var inputs = GradientCheck.RandomInputs(11, -1, 1, [9, dim], [700, dim]);
        var (table, upstream) = (inputs[0].ToArray(), inputs[1]);
        var (expected, dy) = (new double[9 * dim], upstream.ToArray());
        for (int i = 0; i < ids.Length; i++)
            for (int j = 0; j < dim; j++) expected[ids[i] * dim + j] += dy[i * dim + j];
        (float[] Rows, float[] Grad) Run(int threads)
        {
            using var scope = ThreadCountScope.Use(threads);
            var weight = Tensor.FromArray(table, 9, dim);
            weight.RequiresGrad = true;
            var y = weight.Embedding(new IntTensor(ids, 700));
            y.Backward(upstream);
            return (y.ToArray(), weight.Grad!.ToArray());
        }
        var (single, split) = (Run(1), Run(2));
        for (int i = 0; i < ids.Length; i++)
            Assert.Equal(table.AsSpan(ids[i] * dim, dim).ToArray(), split.Rows.AsSpan(i * dim, dim).ToArray());
        Assert.Equal(single.Rows, split.Rows);
        Assert.Equal(single.Grad, split.Grad);       // each element gets its additions in id order on any thread count
        OpTestData.AssertClose(expected, split.Grad, 1e-5, 1e-5);
    }

    [Fact]
    public void Embedding_Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].Embedding(new IntTensor([0, 3, 3, 1, 0, 3], 2, 3)) * t[1],
            GradientCheck.RandomInputs(3, -1, 1, [4, 3], [2, 3, 3]));

    [Fact]
    public void Embedding_OfTransposedWeight_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Transpose().Embedding(new IntTensor([2, 0, 2], 3)),
            GradientCheck.RandomInputs(4, -1, 1, [2, 3]));

    [Fact]
    public void Embedding_OutOfRangeId_NamesIdPositionAndVocabulary()
    {
        var weight = Tensor.Zeros(5000, 2);
        weight.Name = "embed";
        var ids = new int[20];
        ids[17] = 5003;
        var error = Assert.Throws<IndexOutOfRangeException>(() => weight.Embedding(new IntTensor(ids, 20)));
        Assert.Contains("Embedding: id 5003 at position 17 is out of range for vocabulary size 5000", error.Message);
        Assert.Contains("'embed'", error.Message);

        var batch = Assert.Throws<IndexOutOfRangeException>(() => weight.Embedding(new IntTensor(ids, 2, 10)));
        Assert.Contains("id 5003 at position 17 (1, 7)", batch.Message);
        Assert.Throws<IndexOutOfRangeException>(() => Tensor.Zeros(3, 2).Embedding(new IntTensor([-1], 1)));
    }

    [Fact]
    public void Embedding_WeightNotMatrix_NamesShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3, 4).Embedding(new IntTensor([0], 1)));
        Assert.Contains("Embedding", error.Message);
        Assert.Contains("(2, 3, 4)", error.Message);
    }

    [Fact]
    public void Gathers_InsideScope_AllocateNothingAfterWarmUp()
    {
        var weight = GradientCheck.RandomInputs(5, -1, 1, [6, 4])[0];
        weight.RequiresGrad = true;
        var ids = new IntTensor([1, 3, 1, 0], 2, 2);
        void Step()
        {
            using var scope = TensorScope.Begin();
            (weight.Embedding(ids).Sum() + weight.IndexSelect(1, ids).Sum()).Backward();
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }
}
