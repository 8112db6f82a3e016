using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

/// <summary>
/// Target padding sits on the right, so a causal (Transformer) or left-to-right (RNN) decoder must not let the ids
/// at padded target positions reach the logits of any real target position.
/// </summary>
public class DecoderPaddingTests
{
    /// <summary>Real target lengths of <see cref="ModelTestKit.Target"/>: (3, 4) with pads (id 0) after 4, 3, 2 tokens.</summary>
    private static readonly int[] TargetLengths = [4, 3, 2];

    [Theory]
    [MemberData(nameof(ModelTestKit.PresetNames), MemberType = typeof(ModelTestKit))]
    public void TokensAtPaddedTargetPositions_DoNotChangeLogitsAtRealPositions(string preset)
    {
        var model = ModelBuilder.Build(ModelTestKit.Tiny(preset));
        model.Eval();
        var target = ModelTestKit.Target;
        var ids = target.AsSpan().ToArray();
        for (int i = 0; i < ids.Length; i++)
            if (i % 4 >= TargetLengths[i / 4])
                ids[i] = 3 + i % 5;               // arbitrary real-looking ids where padding was
        var altered = new IntTensor(ids, 3, 4);

        var logits = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, target).ToArray();      // (3, 4, vocab) flat
        var alteredLogits = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, altered).ToArray();

        int vocab = ModelTestKit.Vocabulary;
        for (int row = 0; row < 3; row++)
            for (int t = 0; t < TargetLengths[row]; t++)
                for (int v = 0; v < vocab; v++)
                {
                    int at = (row * 4 + t) * vocab + v;
                    Assert.True(Math.Abs(logits[at] - alteredLogits[at]) <= 1e-6f, $"{preset}: row {row}, position {t} changed");
                }
    }
}
