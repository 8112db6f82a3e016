using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// The forward rows of <see cref="LayerNormOp"/> and <see cref="RmsNormOp"/> spread over the kernel threads: rows are
/// independent, so the result is the same for any thread count. A (1920, 256) batch took about a millisecond per norm
/// on one thread, a dozen times per training step.
/// </summary>
internal sealed class RowNormForward : IParallelWork
{
    [ThreadStatic] private static RowNormForward? t_current;

    private Tensor? _source, _output, _weight, _bias, _saved;
    private bool _rms;
    private int _dim;
    private float _epsilon;

    /// <summary>Normalises every row of <paramref name="source"/> (rows, dim), dense, into <paramref name="output"/>
    /// (which may be the source), saving (mean, rstd) per row for LayerNorm or rstd for RMSNorm when
    /// <paramref name="saved"/> is given.</summary>
    /// <param name="rms">RMSNorm (no mean, no bias) rather than LayerNorm.</param>
    /// <param name="source">(rows, dim) dense input.</param>
    /// <param name="output">(rows, dim) dense output.</param>
    /// <param name="weight">(dim) dense scale, or null.</param>
    /// <param name="bias">(dim) dense shift, or null (LayerNorm only).</param>
    /// <param name="saved">(rows, 2) for LayerNorm or (rows) for RMSNorm, or null when not recorded.</param>
    /// <param name="dim">Row length.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static void Run(bool rms, Tensor source, Tensor output, Tensor? weight, Tensor? bias, Tensor? saved, int dim, float epsilon)
    {
        int rows = source.Count / dim;
        var work = t_current ??= new RowNormForward();
        (work._rms, work._source, work._output, work._weight, work._bias, work._saved) = (rms, source, output, weight, bias, saved);
        (work._dim, work._epsilon) = (dim, epsilon);
        try
        {
            ParallelRunner.For(rows, work, ElementwiseSplit.Worthwhile(source.Count) ? 0 : 1);
        }
        finally
        {
            (work._source, work._output, work._weight, work._bias, work._saved) = (null, null, null, null, null);
        }
    }

    public void Execute(int begin, int end)
    {
        int dim = _dim;
        var source = _source!.AsSpan();
        var output = _output!.AsSpan();
        var weight = _weight is null ? default : _weight.AsSpan();
        var bias = _bias is null ? default : _bias.AsSpan();
        var saved = _saved is null ? default : _saved.AsSpan();
        for (int r = begin; r < end; r++)
        {
            var row = output.Slice(r * dim, dim);
            if (_rms)
            {
                float rstd = RowNorm.RmsNormRow(source.Slice(r * dim, dim), row, weight, _epsilon);
                if (!saved.IsEmpty) saved[r] = rstd;
                continue;
            }
            var (mean, inverse) = RowNorm.LayerNormRow(source.Slice(r * dim, dim), row, weight, bias, _epsilon);
            if (!saved.IsEmpty) (saved[2 * r], saved[2 * r + 1]) = (mean, inverse);
        }
    }
}
