using EncDec.Kernels;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Tensors;

/// <summary>The parameter checksum that keys the frozen inference weights: equal values give equal checksums, and a
/// change to any single value, to the order of the tensors or to where one tensor ends, changes it. Inputs of
/// several blocks are hashed on the kernel threads, so the tests that set the thread count run apart from the other
/// kernel tests (a region already running elsewhere would make the checksum run on one thread).</summary>
[Collection(nameof(GemmSerialCollection))]
public class ContentChecksumTests
{
    private const int Block = ContentChecksum.BlockFloats;

    private static Tensor[] Tensors(params float[][] values) => values.Select(v => Tensor.FromArray(v, v.Length)).ToArray();

    private static float[] RandomValues(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static float FlipLowestBit(float value) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) ^ 1);

    private static UInt128 On(int threads, IEnumerable<Tensor> tensors)
    {
        using var scope = ThreadCountScope.Use(threads);
        return ContentChecksum.Of(tensors);
    }

    [Fact]
    public void EqualValues_GiveEqualChecksums()
    {
        Assert.Equal(ContentChecksum.Of(Tensors([1f, 2f, 3f], [4f])), ContentChecksum.Of(Tensors([1f, 2f, 3f], [4f])));
    }

    [Fact]
    public void ChangingAnyOneValue_ChangesTheChecksum()
    {
        var values = Enumerable.Range(0, 37).Select(i => (float)Math.Sin(i)).ToArray();   // odd length: a trailing float
        var reference = ContentChecksum.Of(Tensors(values));
        for (int i = 0; i < values.Length; i++)
        {
            var changed = (float[])values.Clone();
            changed[i] = FlipLowestBit(changed[i]);
            Assert.NotEqual(reference, ContentChecksum.Of(Tensors(changed)));
        }
    }

    [Fact]
    public void OrderAndBoundaries_ChangeTheChecksum()
    {
        var ab = ContentChecksum.Of(Tensors([1f, 2f], [3f, 4f]));
        Assert.NotEqual(ab, ContentChecksum.Of(Tensors([3f, 4f], [1f, 2f])));
        Assert.NotEqual(ab, ContentChecksum.Of(Tensors([1f, 2f, 3f], [4f])));
        Assert.NotEqual(ab, ContentChecksum.Of(Tensors([1f, 2f, 3f, 4f])));
    }

    [Fact]
    public void StridedViews_AreHashedByTheirValues()
    {
        var matrix = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var column = matrix.Narrow(1, 1, 1);   // (2, 1): 2 and 5, not contiguous
        Assert.Equal(ContentChecksum.Of([Tensor.FromArray([2f, 5f], 2, 1)]), ContentChecksum.Of([column]));
    }

    [Fact]
    public void Checksum_IsTheSameOnOneTwoAndThreeThreads()
    {
        // Empty, one-float, odd multi-block, exactly one block, short, two blocks and one float short of a block:
        // about 7 blocks in all, above the threshold for the threads, split differently by two and by three.
        int[] lengths = [0, 1, 3 * Block + 7, Block, 5, 2 * Block, Block - 1];
        var tensors = Tensors(lengths.Select((n, i) => RandomValues(n, seed: i)).ToArray());
        Assert.True(lengths.Sum() >= ContentChecksum.MinimumParallelFloats);
        var single = On(1, tensors);
        Assert.Equal(single, On(2, tensors));
        Assert.Equal(single, On(3, tensors));
        Assert.Equal(single, On(8, tensors));   // more threads than the machine has cores
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ChangingOneValue_AtBlockBoundariesAndTails_ChangesTheChecksum(int threads)
    {
        // A tensor of four blocks and one float (above the threshold on its own), then tensors of three and one float.
        float[][] values = [RandomValues(4 * Block + 1, seed: 1), RandomValues(3, seed: 2), RandomValues(1, seed: 3)];
        (int Tensor, int Index)[] places =
        [
            (0, 0), (0, 1), (0, Block - 2), (0, Block - 1), (0, Block), (0, Block + 1), (0, 2 * Block - 1),
            (0, 2 * Block), (0, 3 * Block), (0, 4 * Block - 1), (0, 4 * Block), (1, 0), (1, 1), (1, 2), (2, 0),
        ];
        var seen = new HashSet<UInt128> { On(threads, Tensors(values)) };
        foreach (var (tensor, index) in places)
        {
            var changed = values.Select(v => (float[])v.Clone()).ToArray();
            changed[tensor][index] = FlipLowestBit(changed[tensor][index]);
            Assert.True(seen.Add(On(threads, Tensors(changed))), $"a change at tensor {tensor}, index {index} went unseen");
        }
    }

    [Fact]
    public void MovingTheBoundaryBetweenTwoTensors_ChangesTheChecksum()
    {
        var values = RandomValues(3 * Block + 5, seed: 4);
        // Against all the values in one tensor; the splits at 0 and at the end add an empty tensor before or after it.
        int[] splits = [0, 1, 2, Block - 1, Block, Block + 1, 2 * Block, values.Length - 1, values.Length];
        var seen = new HashSet<UInt128> { On(2, Tensors(values)) };
        foreach (int split in splits)
            Assert.True(seen.Add(On(2, Tensors(values[..split], values[split..]))), $"the split at {split} went unseen");
    }

    [Fact]
    public void MovingWholeBlocks_ChangesTheChecksum()
    {
        var first = RandomValues(2 * Block, seed: 5);
        var second = RandomValues(2 * Block, seed: 6);
        var swappedHalves = first[Block..].Concat(first[..Block]).ToArray();   // the blocks of one tensor swapped
        var seen = new HashSet<UInt128> { On(2, Tensors(first, second)) };
        Assert.True(seen.Add(On(2, Tensors(second, first))));
        Assert.True(seen.Add(On(2, Tensors(swappedHalves, second))));
    }

    [Fact]
    public void StridedViewsOfManyBlocks_AreHashedByTheirValues()
    {
        var matrix = Tensor.FromArray(RandomValues(600 * 700, seed: 7), 600, 700);
        var transposed = matrix.Transpose();   // (700, 600), not contiguous
        var dense = Tensor.FromArray(transposed.ToArray(), 700, 600);
        Assert.False(transposed.IsContiguous);
        Assert.Equal(On(1, [dense]), On(2, [transposed]));
        Assert.NotEqual(On(2, [matrix]), On(2, [transposed]));
    }

    [Fact]
    public void HashingOnTheWorkers_AllocatesNothingThere()
    {
        var tensors = Tensors(RandomValues(5 * Block + 3, seed: 8), RandomValues(Block, seed: 9));
        using var scope = ThreadCountScope.Use(2);
        for (int i = 0; i < 3; i++) ContentChecksum.Of(tensors);
        long before = ParallelRunner.WorkerAllocatedBytes;
        for (int i = 0; i < 5; i++) ContentChecksum.Of(tensors);
        Assert.Equal(before, ParallelRunner.WorkerAllocatedBytes);
    }

    [Fact]
    public void TensorsTheCallerDrops_AreHeldUntilHashed()
    {
        var values = RandomValues(5 * Block, seed: 10);
        var expected = On(2, Tensors(values, [1f]));
        Assert.Equal(expected, On(2, new DroppingEnumerable(values)));
    }

    /// <summary>Yields a fresh tensor of <c>values</c>, then one of [1], then, before it reports the end, forgets both,
    /// collects, and allocates tensors of the first one's size filled with another value, which may take its memory.
    /// A checksum that read the first tensor through a pointer, without holding it, would hash those instead. (The
    /// collection waits for the end: until the next tensor is yielded, the caller's loop variable may still hold the
    /// previous one.)</summary>
    private sealed class DroppingEnumerable(float[] values) : IEnumerable<Tensor>, IEnumerator<Tensor>
    {
        private int _step;
        private readonly List<Tensor> _filler = [];

        public Tensor Current { get; private set; } = null!;
        object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext()
        {
            switch (++_step)
            {
                case 1: Current = Tensor.FromArray(values, values.Length); return true;
                case 2: Current = Tensor.FromArray([1f], 1); return true;
            }
            Current = null!;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            for (int i = 0; i < 8; i++) _filler.Add(Tensor.Full(7f, values.Length));
            return false;
        }

        public IEnumerator<Tensor> GetEnumerator() => this;
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this;
        public void Reset() => throw new NotSupportedException();
        public void Dispose() { }
    }
}
