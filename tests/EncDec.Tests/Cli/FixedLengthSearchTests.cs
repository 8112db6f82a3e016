using EncDec.Cli.Bench;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Models;

namespace EncDec.Tests.Cli;

/// <summary>
/// The benchmark's cached greedy and beam loops (<see cref="FixedLengthSearch"/>) against teacher-forced
/// <see cref="EncoderDecoderModel.Forward"/> of the sequences they emit, and the beam loop against exhaustive search.
/// </summary>
public class FixedLengthSearchTests
{
    private const int Start = TransformerWorkload.StartId;

    private static readonly TransformerWorkload Tiny = new(Vocabulary: 13, DModel: 16, Heads: 2, FfnDim: 32, Layers: 2,
        Batch: 3, SourceLength: 5, TargetLength: 6, Seed: 7);

    private static (EncoderDecoderModel Model, IntTensor Source, Tensor Mask) Setup(TransformerWorkload workload)
    {
        var model = workload.BuildModel();
        model.Eval();
        var source = workload.RandomIds(new RandomGenerator(11), workload.Batch, workload.SourceLength);
        var mask = workload.NoPadding();
        mask[2, 4] = 1f;      // one padded position, so the mask reaches the search
        mask[2, 3] = 1f;
        return (model, source, mask);
    }

    /// <summary>[start, y₀ .. y_{L−2}]: the teacher-forced decoder input that predicts (batch, L) outputs y.</summary>
    private static IntTensor Shifted(IntTensor output)
    {
        int batch = output.Shape[0], length = output.Shape[1];
        var input = IntTensor.Zeros(batch, length);
        for (int b = 0; b < batch; b++)
        {
            input[b, 0] = Start;
            for (int t = 1; t < length; t++) input[b, t] = output[b, t - 1];
        }
        return input;
    }

    /// <summary>Σ_t log p(y_t | y_&lt;t, x) of each row, from one teacher-forced Forward.</summary>
    private static float[] TeacherForcedScores(EncoderDecoderModel model, IntTensor source, Tensor mask, IntTensor output)
    {
        var logProbabilities = model.Forward(source, mask, Shifted(output)).LogSoftmax(-1);   // (batch, length, vocab)
        int batch = output.Shape[0], length = output.Shape[1];
        var scores = new float[batch];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++) scores[b] += logProbabilities[b, t, output[b, t]];
        return scores;
    }

    [Fact]
    public void CachedGreedy_EqualsArgmaxOfTeacherForcedForwardOfItsOwnOutput()
    {
        var (model, source, mask) = Setup(Tiny);
        var output = FixedLengthSearch.Greedy(model, source, mask, Tiny.TargetLength, Start);

        var logits = model.Forward(source, mask, Shifted(output));                   // (batch, length, vocab)
        for (int b = 0; b < Tiny.Batch; b++)
        {
            for (int t = 0; t < Tiny.TargetLength; t++)
            {
                int argmax = Enumerable.Range(0, Tiny.Vocabulary).MaxBy(v => logits[b, t, v]);
                Assert.True(argmax == output[b, t], $"sentence {b}, step {t}: greedy chose {output[b, t]}, Forward's argmax is {argmax}");
            }
        }
    }

    [Fact]
    public void Greedy_EmitsExactlyLengthTokensPerSentence()
    {
        var (model, source, mask) = Setup(Tiny);
        var output = FixedLengthSearch.Greedy(model, source, mask, length: 9, Start);
        Assert.Equal([Tiny.Batch, 9], output.Shape.ToArray());
        Assert.All(output.AsSpan().ToArray(), id => Assert.InRange(id, 0, Tiny.Vocabulary - 1));
    }

    [Fact]
    public void BeamScores_EqualTeacherForcedLogProbabilitiesOfTheBestHypotheses()
    {
        var (model, source, mask) = Setup(Tiny);
        var beam = FixedLengthSearch.Beam(model, source, mask, Tiny.TargetLength, beamSize: 4, Start);

        var expected = TeacherForcedScores(model, source, mask, beam.Tokens);
        for (int b = 0; b < Tiny.Batch; b++) Assert.Equal(expected[b], beam.Scores[b], 1e-3f);
    }

    [Fact]
    public void Beam1_EqualsGreedy()
    {
        var (model, source, mask) = Setup(Tiny);
        var greedy = FixedLengthSearch.Greedy(model, source, mask, Tiny.TargetLength, Start);
        var beam = FixedLengthSearch.Beam(model, source, mask, Tiny.TargetLength, beamSize: 1, Start);
        Assert.Equal(greedy.AsSpan().ToArray(), beam.Tokens.AsSpan().ToArray());
    }

    /// <summary>Not a theorem of beam search in general, but it holds for this seeded model and would catch a beam
    /// loop that loses hypotheses or mixes up parents.</summary>
    [Fact]
    public void Beam4_BestScoreIsAtLeastTheGreedyScore()
    {
        var (model, source, mask) = Setup(Tiny);
        var greedy = TeacherForcedScores(model, source, mask, FixedLengthSearch.Greedy(model, source, mask, Tiny.TargetLength, Start));
        var beam = FixedLengthSearch.Beam(model, source, mask, Tiny.TargetLength, beamSize: 4, Start);
        for (int b = 0; b < Tiny.Batch; b++) Assert.True(beam.Scores[b] >= greedy[b] - 1e-4f, $"sentence {b}: beam {beam.Scores[b]} < greedy {greedy[b]}");
    }

    /// <summary>With vocab^(length−1) beams nothing is ever pruned, so beam search is exact: it must find the best of
    /// all vocab^length sequences, scored here one by one with teacher-forced Forward.</summary>
    [Fact]
    public void WideBeam_FindsTheBestOfAllSequences()
    {
        var workload = Tiny with { Vocabulary = 4 };
        const int length = 3, sequences = 4 * 4 * 4;
        var (model, source, mask) = Setup(workload);
        var beam = FixedLengthSearch.Beam(model, source, mask, length, beamSize: 16, Start);

        for (int b = 0; b < workload.Batch; b++)
        {
            var all = IntTensor.Zeros(sequences, length);
            for (int s = 0; s < sequences; s++)
                for (int t = 0; t < length; t++) all[s, t] = s / (int)Math.Pow(4, length - 1 - t) % 4;
            int[] rows = Enumerable.Repeat(b, sequences).ToArray();
            var scores = TeacherForcedScores(model, RnnModelKit.Rows(source, rows), mask.IndexSelect(0, new IntTensor(rows, sequences)), all);
            int best = Enumerable.Range(0, sequences).MaxBy(s => scores[s]);

            Assert.Equal(scores[best], beam.Scores[b], 1e-4f);
            for (int t = 0; t < length; t++) Assert.Equal(all[best, t], beam.Tokens[b, t]);
        }
    }
}
