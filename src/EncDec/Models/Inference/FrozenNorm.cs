using EncDec.Kernels;
using EncDec.Nn;
using EncDec.Operations;

namespace EncDec.Models.Inference;

/// <summary>
/// A <see cref="LayerNorm"/> or <see cref="RmsNorm"/> frozen for inference, applied in place to rows of a
/// buffer with the row functions of <c>LayerNormOp</c> and <c>RmsNormOp</c> (<see cref="RowNorm"/>), so results
/// match the training path.
/// </summary>
internal sealed class FrozenNorm
{
    private readonly float[] _weight;
    private readonly float[]? _bias;
    private readonly float _epsilon;
    private readonly bool _rms;
    [ThreadStatic] private static RowsWork? t_work;

    public FrozenNorm(Module norm)
    {
        switch (norm)
        {
            case LayerNorm layerNorm:
                (_weight, _bias, _epsilon) = (layerNorm.Weight.AsSpan().ToArray(), layerNorm.Bias.AsSpan().ToArray(), layerNorm.Epsilon);
                break;
            case RmsNorm rmsNorm:
                (_weight, _epsilon, _rms) = (rmsNorm.Weight.AsSpan().ToArray(), rmsNorm.Epsilon, true);
                break;
            default:
                throw new ArgumentException($"FrozenNorm: {norm.GetType().Name} is not a norm", nameof(norm));
        }
    }

    /// <summary>Normalises each row of <paramref name="x"/> (rows, dim) into <paramref name="y"/> (may be x itself); many
    /// rows (an encoder batch) are spread over the kernel threads.</summary>
    public unsafe void Apply(ReadOnlySpan<float> x, Span<float> y, int rows)
    {
        int dim = _weight.Length;
        if (!ElementwiseSplit.Worthwhile(rows * dim))
        {
            Rows(x, y, 0, rows);
            return;
        }
        fixed (float* px = x, py = y)
        {
            var work = t_work ??= new RowsWork();
            work.Set(this, px, py, dim);
            try
            {
                ParallelRunner.For(rows, work);
            }
            finally
            {
                work.Set(null, null, null, 0);
            }
        }
    }

    private sealed unsafe class RowsWork : IParallelWork
    {
        private FrozenNorm? _norm;
        private float* _x, _y;
        private int _dim;

        public void Set(FrozenNorm? norm, float* x, float* y, int dim)
        {
            (_norm, _dim) = (norm, dim);
            _x = x;
            _y = y;
        }

        public void Execute(int begin, int end) =>
            _norm!.Rows(new ReadOnlySpan<float>(_x, end * _dim), new Span<float>(_y, end * _dim), begin, end);
    }

    private void Rows(ReadOnlySpan<float> x, Span<float> y, int begin, int end)
    {
        int dim = _weight.Length;
        for (int r = begin; r < end; r++)
        {
            if (_rms) RowNorm.RmsNormRow(x.Slice(r * dim, dim), y.Slice(r * dim, dim), _weight, _epsilon);
            else RowNorm.LayerNormRow(x.Slice(r * dim, dim), y.Slice(r * dim, dim), _weight, _bias, _epsilon);
        }
    }
}
