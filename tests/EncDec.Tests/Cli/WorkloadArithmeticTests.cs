using EncDec.Cli.Bench;

namespace EncDec.Tests.Cli;

/// <summary>
/// <see cref="WorkloadArithmetic"/> against counts worked out by hand, product by product (2 operations per
/// multiply-add), for a workload small enough to check on paper and for the fixed benchmark workload.
/// </summary>
public class WorkloadArithmeticTests
{
    // dModel 8, ffn 16, 1 layer, batch 2, 3 source and 4 target tokens, vocabulary 50.
    private static readonly TransformerWorkload Tiny = new(Vocabulary: 50, DModel: 8, Heads: 2, FfnDim: 16, Layers: 1,
        Batch: 2, SourceLength: 3, TargetLength: 4);

    [Fact]
    public void Greedy_TinyWorkload_MatchesTheHandCount()
    {
        var decoding = WorkloadArithmetic.Greedy(Tiny);

        // Encoder, per source token: Q, K, V, out 4·64 + FFN 2·8·16 + scores and sums 2·3·8 = 560; 6 tokens, ×2.
        Assert.Equal(6720, decoding.Encoder);
        // Memory keys and values: 6 tokens × 2·64, ×2.
        Assert.Equal(1536, decoding.MemoryKeysValues);
        // Step t, per sentence: 6·64 + 2·8·16 + 2·t·8 + 2·3·8 + output 8·50 = 1088 + 16t; 2 sentences, t = 1..4, ×2.
        Assert.Equal(2 * 2 * (4 * 1088 + 16 * 10), decoding.Steps);
        Assert.Equal(6720 + 1536 + 18048, decoding.Total);
    }

    [Fact]
    public void TrainStep_TinyWorkload_IsThreeTimesTheForwardProducts()
    {
        // Forward: encoder 3360, memory keys and values 768, decoder 8 tokens × (6·64 + 2·8·16 + 2·4·8 + 2·3·8 = 752),
        // output 8 × 8·50; the backward pass doubles it; ×2 operations per multiply-add.
        double forward = 3360 + 768 + 8 * 752 + 8 * 8 * 50;
        Assert.Equal(2 * 3 * forward, WorkloadArithmetic.TrainStep(Tiny));
    }

    [Fact]
    public void FixedWorkload_Is29GflopPerGreedyDecoding_And89PerTrainingStep()
    {
        var workload = new TransformerWorkload();
        var decoding = WorkloadArithmetic.Greedy(workload);

        Assert.Equal(9_236_643_840, decoding.Encoder);
        Assert.Equal(1_509_949_440, decoding.MemoryKeysValues);
        Assert.Equal(18_702_336_000, decoding.Steps);
        Assert.Equal(88_603_361_280, WorkloadArithmetic.TrainStep(workload));
    }

    [Fact]
    public void Counts_GrowWithEveryDimension()
    {
        double greedy = WorkloadArithmetic.Greedy(Tiny).Total, train = WorkloadArithmetic.TrainStep(Tiny);
        foreach (var bigger in new[]
        {
            Tiny with { Vocabulary = 51 }, Tiny with { DModel = 10 }, Tiny with { FfnDim = 17 }, Tiny with { Layers = 2 },
            Tiny with { Batch = 3 }, Tiny with { SourceLength = 4 }, Tiny with { TargetLength = 5 },
        })
        {
            Assert.True(WorkloadArithmetic.Greedy(bigger).Total > greedy, bigger.ToString());
            Assert.True(WorkloadArithmetic.TrainStep(bigger) > train, bigger.ToString());
        }
        Assert.Throws<ArgumentNullException>(() => WorkloadArithmetic.Greedy(null!));
    }
}
