using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = (x − mean) / √(var + ε) ⊙ weight + bias over the last dimension, with the biased variance
/// (as PyTorch's LayerNorm). Each row's statistics are computed once, in the same row loop that
/// normalises it: the mean, then the variance as the mean square of x − mean (stable where
/// E[x²] − mean² would cancel). mean and rstd = 1/√(var + ε) are saved as a (rows, 2) tensor in
/// Saved0; backward recomputes x̂ from x.
/// Backward (per row, with x̂ = (x − mean)·rstd, g = dy ⊙ weight; derivation as in PyTorch's
/// layer_norm_backward and llm.c's layernorm_backward):
///   dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  dweight += Σ_rows dy ⊙ x̂,  dbias += Σ_rows dy.
/// </summary>
internal sealed class LayerNormOp : Operation
{
    public static readonly LayerNormOp Instance = new();
    public override string Name => "LayerNorm";

    public static Tensor Forward(Tensor x, Tensor? weight, Tensor? bias, float epsilon)
    {
        int dim = RowNorm.Validate("LayerNorm", x, weight, bias, epsilon);
        int rows = dim == 0 ? 0 : x.Count / dim;
        var y = Tensor.Allocate(x.Shape);
        bool recorded = y.Record(Instance, x, weight, bias);
        if (recorded) y.Saved0 = Tensor.Allocate([rows, 2]);       // (rows, 2): mean, rstd
        if (rows == 0 || dim == 0) return y;
        RowNormForward.Run(rms: false, RowNorm.DenseInto(x, y), y, RowNorm.DenseTensor(weight), RowNorm.DenseTensor(bias),
            recorded ? y.Saved0 : null, dim, epsilon);
        return y;
    }

    /// <summary>Row blocks of the backward pass: a fixed count, so the order of the weight-gradient sums (per block,
    /// then over blocks) is the same for any number of threads.</summary>
    private const int Blocks = 8;

    public override void Backward(Tensor y)
    {
        Tensor x = y.Input0!;
        Tensor? weight = y.Input1, bias = y.Input2;
        int dim = x.Shape[^1];
        if (dim == 0 || x.Count == 0) return;
        bool needBias = bias is not null && bias.RequiresGrad;
        bool needX = x.RequiresGrad, needWeight = weight is not null && weight.RequiresGrad;
        if (!needX && !needWeight && !needBias) return;
        int rows = x.Count / dim;
        var work = BackwardWork.Current;
        work.Set(y, x.IsContiguous ? x : x.Contiguous(), weight is null || weight.IsContiguous ? weight : weight.Contiguous(),
            needX ? GradientOf(x) : null, needWeight, needBias, dim, rows);
        try
        {
            Kernels.ParallelRunner.For(Blocks, work, (long)rows * dim < Kernels.ElementwiseSplit.MinimumLength ? 1 : 0);
        }
        finally
        {
            work.Clear();
        }
        var partials = work.Partials.AsSpan(0, Blocks * 2 * dim);   // (Blocks, 2, dim): per block Σ dy ⊙ x̂ and Σ dy
        for (int block = 0; block < Blocks; block++)
        {
            if (needWeight) TensorPrimitives.Add(weight!.GradBuffer(), partials.Slice(block * 2 * dim, dim), weight.GradBuffer());
            if (needBias) TensorPrimitives.Add(bias!.GradBuffer(), partials.Slice((block * 2 + 1) * dim, dim), bias.GradBuffer());
        }
    }

    /// <summary>x's gradient tensor, allocated (zeroed) if it has none yet.</summary>
    private static Tensor GradientOf(Tensor x)
    {
        x.GradBuffer();
        return x.Grad!;
    }

    /// <summary>The backward pass over blocks of rows; weight and bias gradients go to per-block partial sums. One
    /// reusable instance per calling thread, so a steady backward pass allocates nothing.</summary>
    private sealed class BackwardWork : Kernels.IParallelWork
    {
        [ThreadStatic] private static BackwardWork? t_current;
        public float[] Partials = [];
        private Tensor? _y, _source, _weight, _dx;
        private bool _needWeight, _needBias;
        private int _dim, _rows;

        public static BackwardWork Current => t_current ??= new BackwardWork();

        public void Set(Tensor y, Tensor source, Tensor? weight, Tensor? dx, bool needWeight, bool needBias, int dim, int rows)
        {
            (_y, _source, _weight, _dx, _needWeight, _needBias, _dim, _rows) = (y, source, weight, dx, needWeight, needBias, dim, rows);
            if (Partials.Length < Blocks * 2 * dim) Partials = new float[Blocks * 2 * dim];
            Partials.AsSpan(0, Blocks * 2 * dim).Clear();
        }

        public void Clear() => (_y, _source, _weight, _dx) = (null, null, null, null);

        public void Execute(int begin, int end)
        {
            int dim = _dim;
            Span<float> scratch = stackalloc float[2 * dim];
            Span<float> xhat = scratch[..dim], g = scratch[dim..];
            var dy = _y!.Grad!.AsSpan();
            var saved = _y.Saved0!.AsSpan();
            var source = _source!.AsSpan();
            var w = _weight is null ? default : _weight.AsSpan();
            bool needX = _dx is not null;
            var dx = needX ? _dx!.AsSpan() : default;
            for (int block = begin; block < end; block++)
            {
                var dw = Partials.AsSpan(block * 2 * dim, dim);
                var db = Partials.AsSpan((block * 2 + 1) * dim, dim);
                for (int r = (int)((long)_rows * block / Blocks); r < (int)((long)_rows * (block + 1) / Blocks); r++)
                {
                    float mean = saved[2 * r], rstd = saved[2 * r + 1];
                    var dyRow = dy.Slice(r * dim, dim);
                    if (_needBias) TensorPrimitives.Add(db, dyRow, db);
                    if (!needX && !_needWeight) continue;
                    TensorPrimitives.Subtract(source.Slice(r * dim, dim), mean, xhat);
                    TensorPrimitives.Multiply(xhat, rstd, xhat);                                  // x̂
                    if (_needWeight) TensorPrimitives.MultiplyAdd(dyRow, xhat, dw, dw);
                    if (!needX) continue;
                    if (_weight is null) dyRow.CopyTo(g); else TensorPrimitives.Multiply(dyRow, w, g);   // g = dy ⊙ w
                    float meanG = TensorPrimitives.Sum(g) / dim, meanGx = TensorPrimitives.Dot(g, xhat) / dim;
                    TensorPrimitives.Subtract(g, meanG, g);
                    TensorPrimitives.MultiplyAdd(xhat, -meanGx, g, g);                          // g − mean(g) − x̂·mean(g⊙x̂)
                    var dxRow = dx.Slice(r * dim, dim);
                    TensorPrimitives.MultiplyAdd(g, rstd, dxRow, dxRow);
                }
            }
        }
    }
}

public static partial class TensorOps
{
    /// <summary>Layer normalisation over the last dimension (biased variance, as PyTorch), with optional affine weight and bias.</summary>
    /// <param name="x">(..., dim)</param>
    /// <param name="weight">(dim), or null for no scale</param>
    /// <param name="bias">(dim), or null for no shift</param>
    /// <param name="epsilon">added to the variance before the square root</param>
    /// <returns>(..., dim)</returns>
    public static Tensor LayerNorm(this Tensor x, Tensor? weight, Tensor? bias, float epsilon = 1e-5f) =>
        LayerNormOp.Forward(x, weight, bias, epsilon);
}
