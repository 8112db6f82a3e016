using System.Runtime.CompilerServices;
using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// Mean token cross-entropy with label smoothing, fused with log-softmax. For a row x (V logits) with target t,
/// m = max(x) and S = Σ_v exp(x_v − m):
///   −log p_v = (m − x_v) + log S,
///   loss_row = (1 − ε)(−log p_t) + ε · mean_v(−log p_v)   (PyTorch's <c>F.cross_entropy(label_smoothing=ε)</c>),
///   loss = Σ_rows loss_row / N, N = the number of rows whose target is not ignoreIndex.
/// Backward (the usual softmax–cross-entropy identity): dx_row += (softmax(x) − q) · dloss / N with
/// q = (1 − ε) onehot(t) + ε / V; ignored rows get nothing. Saved per row: m and log S, so backward recomputes
/// softmax instead of keeping an (N, V) tensor alive between forward and backward.
/// </summary>
internal sealed class CrossEntropyOp : Operation
{
    public static readonly CrossEntropyOp Instance = new();
    public override string Name => "CrossEntropy";

    /// <summary>Floats of exp scratch on the stack per row block: 4 KiB, so worker threads need no heap scratch.</summary>
    private const int Block = 1024;

    /// <summary>Below this many logits the rows run on the calling thread; threading costs more than it saves.</summary>
    private const long ParallelLogits = 1 << 16;

    [ThreadStatic] private static RowWork? t_work;

    public static Tensor Forward(Tensor logits, IntTensor targets, float smoothing, int ignoreIndex, out int count)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (!(smoothing >= 0f && smoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "CrossEntropy: label smoothing must be in [0, 1]");
        CheckShapes(logits, targets);
        int classes = logits.Shape[^1], rows = targets.Count;
        count = CountAndCheckTargets(logits, targets, ignoreIndex, classes);

        var dense = logits.Contiguous();                          // (rows, classes) row-major
        Span<int> statsShape = stackalloc int[] { 3, rows };
        var stats = Tensor.Allocate(statsShape);                  // rows of: max, log S, row loss
        Run(dense, stats, targets, smoothing, ignoreIndex, backward: false, gradScale: 0f);

        double total = 0;
        foreach (float rowLoss in stats.AsSpan().Slice(2 * rows, rows)) total += rowLoss;
        var loss = Tensor.Allocate(ReadOnlySpan<int>.Empty);      // rank 0
        loss.AsSpan()[0] = count == 0 ? 0f : (float)(total / count);
        if (loss.Record(Instance, dense))
        {
            loss.Saved0 = stats;
            loss.Context = targets;
            loss.Scalar0 = smoothing;
            loss.Int0 = ignoreIndex;
            loss.Int1 = count;
        }
        return loss;
    }

    public override void Backward(Tensor loss)
    {
        var logits = loss.Input0!;
        // A new gradient is written, not zeroed and then added to: two passes fewer over (rows, classes) floats.
        var grad = logits.GradBufferForOverwrite(out bool fresh);
        if (loss.Int1 == 0)
        {
            if (fresh) grad.Clear();                              // all targets ignored: a zero gradient, not none
            return;
        }
        float gradScale = loss.Grad!.AsSpan()[0] / loss.Int1;
        Run(logits, loss.Saved0!, (IntTensor)loss.Context!, loss.Scalar0, loss.Int0, backward: true, gradScale, overwrite: fresh);
    }

    private static void Run(Tensor logits, Tensor stats, IntTensor targets, float smoothing, int ignoreIndex,
        bool backward, float gradScale, bool overwrite = false)
    {
        var work = t_work ??= new RowWork();
        work.Logits = logits;
        work.Stats = stats;
        work.Targets = targets;
        work.Classes = logits.Count == 0 ? 0 : logits.Shape[^1];
        work.Rows = targets.Count;
        work.Smoothing = smoothing;
        work.IgnoreIndex = ignoreIndex;
        work.IsBackward = backward;
        work.GradScale = gradScale;
        work.Overwrite = overwrite;
        try
        {
            int threads = logits.Count < ParallelLogits ? 1 : 0;
            ParallelRunner.For(work.Rows, work, maxThreads: threads);
        }
        finally { work.Clear(); }
    }

    private static void CheckShapes(Tensor logits, IntTensor targets)
    {
        bool fits = logits.Rank >= 1 && targets.Rank == logits.Rank - 1
            && ShapeMath.Same(logits.Shape[..^1], targets.Shape);
        if (!fits)
            throw new ShapeMismatchException("CrossEntropy", logits.Shape, targets.Shape,
                "logits are (..., classes) and targets must have the logits' shape without the last dimension");
    }

    /// <summary>Counts the rows that are not ignored; throws for a target outside [0, classes).</summary>
    private static int CountAndCheckTargets(Tensor logits, IntTensor targets, int ignoreIndex, int classes)
    {
        var ids = targets.AsSpan();
        int count = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] == ignoreIndex) continue;
            if ((uint)ids[i] >= (uint)classes) throw BadTarget(logits, targets, i, classes);
            count++;
        }
        return count;
    }

    private static IndexOutOfRangeException BadTarget(Tensor logits, IntTensor targets, int flat, int classes)
    {
        var position = new int[targets.Rank];
        for (int d = targets.Rank - 1, rest = flat; d >= 0; d--)
        {
            position[d] = rest % targets.Shape[d];
            rest /= targets.Shape[d];
        }
        return new IndexOutOfRangeException(
            $"CrossEntropy: target {targets.AsSpan()[flat]} at position {ShapeMath.Format(position)} of targets {ShapeMath.Format(targets.Shape)} " +
            $"is outside [0, {classes}) for logits {logits.Describe()} with V = {classes} classes");
    }

    /// <summary>Forward or backward over a range of rows; a reusable object so dispatch allocates nothing.</summary>
    private sealed class RowWork : IParallelWork
    {
        public Tensor? Logits, Stats;
        public IntTensor? Targets;
        public int Classes, Rows, IgnoreIndex;
        public float Smoothing, GradScale;
        public bool IsBackward, Overwrite;

        public void Clear() => (Logits, Stats, Targets) = (null, null, null);

        public void Execute(int begin, int end)
        {
            var x = Logits!.AsSpan();
            var stats = Stats!.AsSpan();
            var ids = Targets!.AsSpan();
            for (int r = begin; r < end; r++)
            {
                if (ids[r] == IgnoreIndex)
                {
                    if (!IsBackward) stats[r] = stats[Rows + r] = stats[2 * Rows + r] = 0f;
                    else if (Overwrite) Logits.Grad!.AsSpan().Slice(r * Classes, Classes).Clear();
                    continue;
                }
                var row = x.Slice(r * Classes, Classes);
                if (IsBackward) BackwardRow(row, Logits.Grad!.AsSpan().Slice(r * Classes, Classes), ids[r], stats[r], stats[Rows + r]);
                else ForwardRow(row, ids[r], out stats[r], out stats[Rows + r], out stats[2 * Rows + r]);
            }
        }

        /// <summary>Computes m, log S and the row loss, all in max-shifted space so huge logits lose no precision.</summary>
        [SkipLocalsInit]   // the block is written before it is read; zeroing it cost as much as a pass over the row
        private void ForwardRow(ReadOnlySpan<float> row, int target, out float max, out float logSum, out float loss)
        {
            max = TensorPrimitives.Max(row);
            Span<float> block = stackalloc float[Block];
            double expSum = 0, shiftedSum = 0;
            for (int start = 0; start < row.Length; start += Block)
            {
                var b = block[..Math.Min(Block, row.Length - start)];
                TensorPrimitives.Subtract(row.Slice(start, b.Length), max, b);     // x − m ≤ 0
                if (Smoothing != 0f) shiftedSum += TensorPrimitives.Sum(b);
                TensorPrimitives.Exp(b, b);
                expSum += TensorPrimitives.Sum(b);
            }
            double log = Math.Log(expSum);
            double targetTerm = log - (row[target] - max);                        // −log p_t
            double smoothTerm = log - shiftedSum / row.Length;                     // mean_v −log p_v
            logSum = (float)log;
            loss = (float)((1.0 - Smoothing) * targetTerm + Smoothing * smoothTerm);
        }

        /// <summary>dx += g · (softmax(x) − ε/V) and dx_t −= g · (1 − ε).</summary>
        [SkipLocalsInit]
        private void BackwardRow(ReadOnlySpan<float> row, Span<float> dx, int target, float max, float logSum)
        {
            Span<float> block = stackalloc float[Block];
            float uniform = Smoothing / row.Length;
            for (int start = 0; start < row.Length; start += Block)
            {
                var b = block[..Math.Min(Block, row.Length - start)];
                var d = dx.Slice(start, b.Length);
                TensorPrimitives.Subtract(row.Slice(start, b.Length), max, b);
                TensorPrimitives.Subtract(b, logSum, b);
                TensorPrimitives.Exp(b, b);                                       // p_v
                if (uniform != 0f) TensorPrimitives.Subtract(b, uniform, b);
                if (Overwrite) TensorPrimitives.Multiply(b, GradScale, d);
                else TensorPrimitives.MultiplyAdd(b, GradScale, d, d);
            }
            dx[target] -= GradScale * (1f - Smoothing);
        }
    }
}

public static partial class TensorOps
{
    /// <summary>
    /// Mean cross-entropy between softmax(<paramref name="logits"/>) and <paramref name="targets"/>, fused and
    /// max-subtracted (stable for any finite logits), with PyTorch's label smoothing:
    /// loss_i = (1 − ε)(−log p_target) + ε · mean over classes of (−log p_v). Positions whose target equals
    /// <paramref name="ignoreIndex"/> contribute nothing and are not counted. When every position is ignored the
    /// result is 0 with a zero gradient (PyTorch returns NaN there; 0 keeps a padding-only batch from poisoning
    /// the weights). The targets are read again in backward, so do not rewrite them before calling it.
    /// </summary>
    /// <param name="logits">(..., classes), e.g. (batch, tgtLen, vocab) or (tokens, vocab); may be a view.</param>
    /// <param name="targets">The logits' shape without the last dimension, e.g. (batch, tgtLen); class ids or ignoreIndex.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <param name="ignoreIndex">Target value marking positions to skip (padding).</param>
    /// <returns>A rank-0 tensor: the mean loss over non-ignored positions.</returns>
    /// <exception cref="ShapeMismatchException">The targets' shape is not the logits' shape without its last dimension.</exception>
    /// <exception cref="IndexOutOfRangeException">A target other than ignoreIndex is outside [0, classes); the message names it, its position and the class count.</exception>
    public static Tensor CrossEntropy(this Tensor logits, IntTensor targets, float labelSmoothing = 0f, int ignoreIndex = -100) =>
        CrossEntropyOp.Forward(logits, targets, labelSmoothing, ignoreIndex, out _);

    /// <summary>
    /// <see cref="CrossEntropy(Tensor, IntTensor, float, int)"/> that also reports how many positions were
    /// not ignored (the divisor of the mean), e.g. to weight per-batch losses by tokens.
    /// </summary>
    /// <param name="logits">(..., classes); may be a view.</param>
    /// <param name="targets">The logits' shape without the last dimension.</param>
    /// <param name="tokenCount">Number of positions whose target is not <paramref name="ignoreIndex"/>.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <param name="ignoreIndex">Target value marking positions to skip (padding).</param>
    /// <returns>A rank-0 tensor: the mean loss over non-ignored positions.</returns>
    public static Tensor CrossEntropy(this Tensor logits, IntTensor targets, out int tokenCount,
        float labelSmoothing = 0f, int ignoreIndex = -100) =>
        CrossEntropyOp.Forward(logits, targets, labelSmoothing, ignoreIndex, out tokenCount);
}
