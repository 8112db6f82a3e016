using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Tests.Nn;

/// <summary>
/// Padding never changes what real tokens see: with lengths (4, 2), rewriting the padded positions and
/// appending more padding leaves outputs at real positions and final states (both directions, both
/// layers) unchanged, and the padded sequence gives exactly what it gives alone without padding.
/// </summary>
public class RnnPaddingTests
{
    private const int Input = 3, Hidden = 4, Length = 4;
    private static readonly int[] Lengths = [4, 2];

    public static TheoryData<bool, bool> Configurations => new() { { true, false }, { true, true }, { false, false }, { false, true } };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void GarbageAtPadsAndExtraPadding_ChangeNothingAtRealPositions(bool lstm, bool bidirectional)
    {
        var run = Runner(lstm, bidirectional);
        var x = RnnTestData.Random(1, -1, 1, Lengths.Length, Length, Input);
        var (output, final) = run(x, RnnTestData.LengthMask(Length, Lengths));
        var (longOutput, longFinal) = run(WithGarbagePadding(x, Length + 2), RnnTestData.LengthMask(Length + 2, Lengths));
        int width = output.Shape[2];
        for (int b = 0; b < Lengths.Length; b++)
            for (int t = 0; t < Length + 2; t++)
            {
                var actual = RnnTestData.Row(longOutput, b, t).Select(v => (float)v).ToArray();
                var expected = t < Lengths[b] ? RnnTestData.Row(output, b, t).Select(v => (float)v).ToArray() : new float[width];
                RnnTestData.AssertClose(expected, actual, 1e-6, $"output[{b}, {t}]");
            }
        for (int i = 0; i < final.Length; i++) RnnTestData.AssertClose(final[i], longFinal[i], 1e-6, $"final state {i}");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void PaddedSequence_EqualsSameSequenceRunAlone(bool lstm, bool bidirectional)
    {
        var run = Runner(lstm, bidirectional);
        var x = RnnTestData.Random(2, -1, 1, Lengths.Length, Length, Input);
        var (output, final) = run(x, RnnTestData.LengthMask(Length, Lengths));
        var alone = Tensor.FromArray(x.ToArray().Skip(Length * Input).Take(Lengths[1] * Input).ToArray(), 1, Lengths[1], Input);
        var (aloneOutput, aloneFinal) = run(alone, null);
        for (int t = 0; t < Lengths[1]; t++)
            RnnTestData.AssertClose(RnnTestData.Row(output, 1, t), aloneOutput.ToArray().Skip(t * output.Shape[2]).Take(output.Shape[2]).ToArray(),
                1e-5, $"output at step {t}");
        for (int i = 0; i < final.Length; i++)
            RnnTestData.AssertClose(final[i].Skip(final[i].Length / 2).ToArray(), aloneFinal[i], 1e-5, $"final state {i} of sequence 1");
    }

    /// <summary>Runs a two-layer stack and returns its output and every final state tensor, flattened.</summary>
    private static Func<Tensor, Tensor?, (Tensor Output, float[][] Final)> Runner(bool lstm, bool bidirectional)
    {
        if (lstm)
        {
            var model = new Lstm(Input, Hidden, 2, bidirectional, dropout: 0f, new RandomGenerator(11));
            return (x, mask) =>
            {
                var (output, final) = model.Forward(x, mask);
                return (output, final.SelectMany(s => new[] { s.H.ToArray(), s.C.ToArray() }).ToArray());
            };
        }
        var gru = new Gru(Input, Hidden, 2, bidirectional, dropout: 0f, new RandomGenerator(12));
        return (x, mask) =>
        {
            var (output, final) = gru.Forward(x, mask);
            return (output, final.Select(h => h.ToArray()).ToArray());
        };
    }

    /// <summary>x extended to <paramref name="length"/> steps, with large random values at every padded position.</summary>
    private static Tensor WithGarbagePadding(Tensor x, int length)
    {
        var random = new Random(99);
        var source = x.ToArray();
        var values = new float[Lengths.Length * length * Input];
        for (int b = 0; b < Lengths.Length; b++)
            for (int t = 0; t < length; t++)
                for (int i = 0; i < Input; i++)
                    values[(b * length + t) * Input + i] = t < Lengths[b]
                        ? source[(b * Length + t) * Input + i]
                        : 10f * (2f * random.NextSingle() - 1f);
        return Tensor.FromArray(values, Lengths.Length, length, Input);
    }
}
