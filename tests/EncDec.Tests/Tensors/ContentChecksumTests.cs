using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Tests.Tensors;

/// <summary>The parameter checksum that keys the frozen inference weights: equal values give equal checksums, and a
/// change to any single value, to the order of the tensors or to where one tensor ends, changes it.</summary>
public class ContentChecksumTests
{
    private static Tensor[] Tensors(params float[][] values) => values.Select(v => Tensor.FromArray(v, v.Length)).ToArray();

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
            changed[i] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(changed[i]) ^ 1);   // one bit
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
}
