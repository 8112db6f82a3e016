namespace EncDec.Cli.Bench;

/// <summary>
/// The arithmetic the <see cref="TransformerWorkload"/> requires: the floating-point operations of its matrix products,
/// two per multiply-add (the convention of GEMM benchmarks and of <c>encdec bench peak</c>). Element-wise work (norms,
/// softmax, residuals, Adam) is left out: it is a few per cent of the operations and is bound by memory, not arithmetic.
/// Divided by a measured time this gives the achieved GFLOP/s, and divided by the machine's peak it gives the shortest
/// time any implementation of the same algorithm could take; these counts are of the algorithm, not of what one
/// implementation happens to compute (causal masking is not assumed to skip anything; beams are not counted).
/// </summary>
public static class WorkloadArithmetic
{
    /// <summary>The operations of one greedy decoding of the batch, split where the time goes.</summary>
    /// <param name="Encoder">The encoder over the (batch, srcLen) sources: projections, attention, feed-forward.</param>
    /// <param name="MemoryKeysValues">Projecting the encoder output to each decoder layer's cross-attention keys and
    /// values, once per decoding.</param>
    /// <param name="Steps">The decoder steps: step t (1-based) runs every layer for one token per sentence, attends to
    /// t cached positions and srcLen memory positions, and projects onto the vocabulary.</param>
    public sealed record Decoding(double Encoder, double MemoryKeysValues, double Steps)
    {
        /// <summary>All of it.</summary>
        public double Total => Encoder + MemoryKeysValues + Steps;
    }

    /// <summary>Operations of one greedy decoding that emits <see cref="TransformerWorkload.TargetLength"/> tokens per
    /// sentence with cached decoder states (one step per token).</summary>
    public static Decoding Greedy(TransformerWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        double steps = 0;
        for (int t = 1; t <= workload.TargetLength; t++)
        {
            double perSentence = workload.Layers * DecoderLayerPerToken(workload, t)
                + (double)workload.DModel * workload.Vocabulary;                         // output projection
            steps += workload.Batch * perSentence;
        }
        return new Decoding(
            Encoder: 2 * EncoderMultiplyAdds(workload),
            MemoryKeysValues: 2 * MemoryKeysValuesMultiplyAdds(workload),
            Steps: 2 * steps);
    }

    /// <summary>
    /// Operations of one training step: the teacher-forced forward pass over (batch, tgtLen) targets, and a backward
    /// pass that costs twice the forward's products (each product y = x·W needs dx = dy·Wᵀ and dW = xᵀ·dy).
    /// </summary>
    public static double TrainStep(TransformerWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        double targets = (double)workload.Batch * workload.TargetLength;
        double forward = EncoderMultiplyAdds(workload)
            + MemoryKeysValuesMultiplyAdds(workload)
            + targets * workload.Layers * DecoderLayerPerToken(workload, workload.TargetLength)   // full causal scores
            + targets * workload.DModel * workload.Vocabulary;                                  // output projection
        return 2 * 3 * forward;
    }

    /// <summary>One decoder layer for one token that attends to <paramref name="selfPositions"/> target positions:
    /// self-attention Q, K, V and out; cross-attention Q and out; the FFN; then the scores and weighted sums of self-
    /// and cross-attention.</summary>
    private static double DecoderLayerPerToken(TransformerWorkload w, int selfPositions)
    {
        double d = w.DModel;
        return 4 * d * d + 2 * d * d + 2 * d * w.FfnDim + 2.0 * selfPositions * d + 2.0 * w.SourceLength * d;
    }

    /// <summary>Every decoder layer's cross-attention keys and values of every source token.</summary>
    private static double MemoryKeysValuesMultiplyAdds(TransformerWorkload w) =>
        (double)w.Layers * w.Batch * w.SourceLength * 2 * w.DModel * w.DModel;

    private static double EncoderMultiplyAdds(TransformerWorkload w)
    {
        double d = w.DModel, source = w.SourceLength;
        double perToken = 4 * d * d + 2 * d * w.FfnDim + 2 * source * d;
        return (double)w.Layers * w.Batch * source * perToken;
    }
}
