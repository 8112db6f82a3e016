using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

public class RnnEncoderTests
{
    private static RnnEncoder Build(RnnCellType cell, int layers, bool bidirectional)
    {
        var encoder = new RnnEncoder(new RnnEncoderConfig(cell, 8, 8, layers, bidirectional, 0f, RnnModelKit.Vocabulary), new RandomGenerator(3));
        encoder.Eval();
        return encoder;
    }

    [Theory]
    [InlineData(RnnCellType.Lstm, 2, true, 4, 16)]
    [InlineData(RnnCellType.Lstm, 1, false, 2, 8)]
    [InlineData(RnnCellType.Gru, 2, true, 2, 16)]
    [InlineData(RnnCellType.Gru, 1, false, 1, 8)]
    public void Encode_GivesMemoryPerPositionAndOneFinalStatePerLayerAndKind(
        RnnCellType cell, int layers, bool bidirectional, int stateCount, int width)
    {
        var encoder = Build(cell, layers, bidirectional);
        var output = encoder.Encode(RnnModelKit.Source(), RnnModelKit.PaddingMask(5, RnnModelKit.SourceLengths));
        Assert.Equal(width, encoder.OutputDim);
        Assert.Equal([3, 5, width], output.Memory.Shape.ToArray());
        Assert.Equal(stateCount, output.FinalStates.Count);
        Assert.All(output.FinalStates, s => Assert.Equal([3, width], s.Shape.ToArray()));
    }

    [Fact]
    public void Memory_IsZeroAtPadding()
    {
        var output = Build(RnnCellType.Lstm, 2, true).Encode(RnnModelKit.Source(9), RnnModelKit.PaddingMask(5, RnnModelKit.SourceLengths));
        var memory = output.Memory.ToArray();
        for (int b = 0; b < 3; b++)
            for (int t = RnnModelKit.SourceLengths[b]; t < 5; t++)
                for (int d = 0; d < 16; d++) Assert.Equal(0f, memory[(b * 5 + t) * 16 + d]);
    }

    [Fact]
    public void FinalForwardState_IsTheMemoryAtTheLastRealToken_AndReverseStateTheMemoryAtTheFirst()
    {
        // Single layer: the top layer's outputs are its hidden states, so the final h must match them.
        var output = Build(RnnCellType.Gru, 1, true).Encode(RnnModelKit.Source(), RnnModelKit.PaddingMask(5, RnnModelKit.SourceLengths));
        var memory = output.Memory.ToArray();
        var final = output.FinalStates[0].ToArray();   // (batch, 16): forward then reverse
        for (int b = 0; b < 3; b++)
        {
            int last = RnnModelKit.SourceLengths[b] - 1;
            for (int d = 0; d < 8; d++)
            {
                Assert.Equal(memory[(b * 5 + last) * 16 + d], final[b * 16 + d], 6);
                Assert.Equal(memory[(b * 5 + 0) * 16 + 8 + d], final[b * 16 + 8 + d], 6);
            }
        }
    }

    [Fact]
    public void Config_Validate_RejectsNonPositiveSizesAndBadDropout()
    {
        Assert.Throws<ArgumentException>(() => new RnnEncoderConfig(HiddenSize: 0).Validate());
        Assert.Throws<ArgumentException>(() => new RnnEncoderConfig(Layers: 0).Validate());
        Assert.Throws<ArgumentException>(() => new RnnEncoderConfig(Dropout: 1f).Validate());
        new RnnEncoderConfig().Validate();
    }
}
