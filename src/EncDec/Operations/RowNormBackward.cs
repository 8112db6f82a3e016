using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// The backward rows of <see cref="LayerNormOp"/> and <see cref="RmsNormOp"/> spread over the kernel threads. Per row,
/// with x̂ = (x − mean)·rstd (RMSNorm: x·rstd) and g = dy ⊙ weight:
///   LayerNorm  dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)),   RMSNorm  dx += rstd · (g − x̂ · mean(g ⊙ x̂)),
///   dweight += Σ_rows dy ⊙ x̂,  dbias += Σ_rows dy.
/// Rows go in a fixed number of blocks, each summing its own weight and bias gradients, and the blocks are added in
/// order: the sums are the same for any number of threads. When x had no gradient yet its rows are written rather than
/// added to a zeroed buffer (clearing it would be one more pass over memory, on one thread).
/// </summary>
internal sealed class RowNormBackward : IParallelWork
{
    /// <summary>Row blocks: a fixed count, so the order of the weight-gradient sums does not depend on the threads.</summary>
    private const int Blocks = 8;

    [ThreadStatic] private static RowNormBackward? t_current;

    private float[] _partials = [];                                    // (Blocks, 2, dim): Σ dy ⊙ x̂ and Σ dy per block
    private Tensor? _y, _source, _weight, _dx;
    private bool _rms, _overwriteX, _needWeight, _needBias;
    private int _dim, _rows;

    /// <summary>Back-propagates through the norm that produced <paramref name="y"/> (rows, dim) from
    /// <paramref name="x"/>; y.Saved0 holds (mean, rstd) per row for LayerNorm, rstd for RMSNorm.</summary>
    /// <param name="rms">RMSNorm (no mean, no bias) rather than LayerNorm.</param>
    /// <param name="y">The norm's output, with its gradient.</param>
    /// <param name="x">(rows, dim) input; its gradient is written or accumulated when it requires one.</param>
    /// <param name="weight">(dim) scale, or null.</param>
    /// <param name="bias">(dim) shift, or null (LayerNorm only).</param>
    public static void Run(bool rms, Tensor y, Tensor x, Tensor? weight, Tensor? bias)
    {
        int dim = x.Shape[^1];
        if (dim == 0 || x.Count == 0) return;
        bool needX = x.RequiresGrad, needWeight = weight is not null && weight.RequiresGrad;
        bool needBias = bias is not null && bias.RequiresGrad;
        if (!needX && !needWeight && !needBias) return;
        bool fresh = false;
        if (needX) x.GradBufferForOverwrite(out fresh);
        var work = t_current ??= new RowNormBackward();
        (work._rms, work._y, work._source, work._weight) = (rms, y, RowNorm.DenseTensor(x), RowNorm.DenseTensor(weight));
        (work._dx, work._overwriteX, work._needWeight, work._needBias) = (needX ? x.Grad : null, fresh, needWeight, needBias);
        (work._dim, work._rows) = (dim, x.Count / dim);
        if (work._partials.Length < Blocks * 2 * dim) work._partials = new float[Blocks * 2 * dim];
        var partials = work._partials.AsSpan(0, Blocks * 2 * dim);
        partials.Clear();
        try
        {
            ParallelRunner.For(Blocks, work, ElementwiseSplit.Worthwhile(x.Count) ? 0 : 1);
        }
        finally
        {
            (work._y, work._source, work._weight, work._dx) = (null, null, null, null);
        }
        for (int block = 0; block < Blocks; block++)
        {
            if (needWeight) TensorPrimitives.Add(weight!.GradBuffer(), partials.Slice(block * 2 * dim, dim), weight.GradBuffer());
            if (needBias) TensorPrimitives.Add(bias!.GradBuffer(), partials.Slice((block * 2 + 1) * dim, dim), bias.GradBuffer());
        }
    }

    public void Execute(int begin, int end)
    {
        int dim = _dim;
        Span<float> scratch = stackalloc float[2 * dim];
        Span<float> xhat = scratch[..dim], g = scratch[dim..];
        // Spans taken once, not per row: each Tensor.AsSpan checks the tensor's layout and storage.
        var dy = _y!.Grad!.AsSpan();
        var saved = _y.Saved0!.AsSpan();
        var source = _source!.AsSpan();
        var weight = _weight is null ? default : _weight.AsSpan();
        bool needX = _dx is not null;
        var dx = needX ? _dx!.AsSpan() : default;
        for (int block = begin; block < end; block++)
        {
            var dw = _partials.AsSpan(block * 2 * dim, dim);
            var db = _partials.AsSpan((block * 2 + 1) * dim, dim);
            for (int r = (int)((long)_rows * block / Blocks); r < (int)((long)_rows * (block + 1) / Blocks); r++)
            {
                float mean = _rms ? 0f : saved[2 * r], rstd = _rms ? saved[r] : saved[2 * r + 1];
                var dyRow = dy.Slice(r * dim, dim);
                if (_needBias) TensorPrimitives.Add(db, dyRow, db);
                if (!needX && !_needWeight) continue;
                var row = source.Slice(r * dim, dim);
                if (_rms) TensorPrimitives.Multiply(row, rstd, xhat);
                else
                {
                    TensorPrimitives.Subtract(row, mean, xhat);
                    TensorPrimitives.Multiply(xhat, rstd, xhat);                              // x̂
                }
                if (_needWeight) TensorPrimitives.MultiplyAdd(dyRow, xhat, dw, dw);
                if (!needX) continue;
                if (weight.IsEmpty) dyRow.CopyTo(g); else TensorPrimitives.Multiply(dyRow, weight, g);   // g = dy ⊙ w
                float meanGx = TensorPrimitives.Dot(g, xhat) / dim;
                if (!_rms) TensorPrimitives.Subtract(g, TensorPrimitives.Sum(g) / dim, g);    // g − mean(g)
                TensorPrimitives.MultiplyAdd(xhat, -meanGx, g, g);                             // … − x̂·mean(g⊙x̂)
                var dxRow = dx.Slice(r * dim, dim);
                if (_overwriteX) TensorPrimitives.Multiply(g, rstd, dxRow);
                else TensorPrimitives.MultiplyAdd(g, rstd, dxRow, dxRow);
            }
        }
    }
}
