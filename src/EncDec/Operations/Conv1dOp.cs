using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// 1-d convolution (cross-correlation, as in PyTorch; zero padding, dilation 1, one group) by im2col + GEMM:
///   cols[n, c·K + k, j] = x[n, c, j·stride + k − padding]   (0 outside the input),
///   y[n] (outC, outLen) = W (outC, inC·K) · cols[n] (inC·K, outLen) + b.
/// Backward: dW += Σ_n dY[n] · cols[n]ᵀ, db += Σ_{n,j} dY[n, :, j], and dx by scattering
/// dcols[n] = Wᵀ · dY[n] back through the im2col index map (col2im, +=). The columns are saved for dW.
/// </summary>
internal sealed class Conv1dOp : Operation
{
    public static readonly Conv1dOp Instance = new();
    public override string Name => "Conv1d";

    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, int stride, int padding)
    {
        int outLength = CheckArguments(input, weight, bias, stride, padding);
        int batch = input.Shape[0], outChannels = weight.Shape[0];
        int rows = weight.Shape[1] * weight.Shape[2];                 // inC · K
        var w = weight.Contiguous();                                  // (outC, inC·K) as a matrix
        var b = bias?.Contiguous();

        Span<int> shape = stackalloc int[] { batch, rows, outLength };
        var cols = Tensor.Allocate(shape);                            // (batch, inC·K, outLen)
        Im2Col(input, cols.AsSpan(), weight.Shape[2], stride, padding, outLength);

        shape[1] = outChannels;
        var y = Tensor.Allocate(shape);                               // (batch, outC, outLen)
        float beta = 0f;
        if (b is not null)
        {
            FillBias(y.AsSpan(), b.AsSpan(), outLength);
            beta = 1f;
        }
        Gemm.Multiply(batch, outChannels, outLength, rows, 1f,
            w.AsSpan(), new MatrixStrides(0, rows, 1),
            cols.AsSpan(), new MatrixStrides((long)rows * outLength, outLength, 1),
            beta, y.AsSpan(), new MatrixStrides((long)outChannels * outLength, outLength, 1));

        if (y.Record(Instance, input, w, b))
        {
            y.Saved0 = cols;
            y.Int0 = stride;
            y.Int1 = padding;
        }
        return y;
    }

    public override void Backward(Tensor y)
    {
        var input = y.Input0!;
        var weight = y.Input1!;
        var bias = y.Input2;
        var dy = y.Grad!.AsSpan();                                    // (batch, outC, outLen)
        int batch = y.Shape[0], outChannels = y.Shape[1], outLength = y.Shape[2];
        int rows = weight.Shape[1] * weight.Shape[2];
        int dyBatch = outChannels * outLength, colsBatch = rows * outLength;

        if (weight.RequiresGrad)
        {
            var dw = weight.GradBuffer();                             // (outC, inC·K)
            var cols = y.Saved0!.AsSpan();
            for (int n = 0; n < batch; n++)
            {
                // dW += dY[n] (outC, outLen) · cols[n]ᵀ (outLen, inC·K)
                Gemm.Multiply(1, outChannels, rows, outLength, 1f,
                    dy.Slice(n * dyBatch, dyBatch), MatrixStrides.RowMajor(outLength),
                    cols.Slice(n * colsBatch, colsBatch), MatrixStrides.Transposed(outLength),
                    1f, dw, MatrixStrides.RowMajor(rows));
            }
        }
        if (bias is not null && bias.RequiresGrad)
        {
            var db = bias.GradBuffer();
            for (int n = 0; n < batch; n++)
                for (int o = 0; o < outChannels; o++)
                    db[o] += TensorPrimitives.Sum(dy.Slice(n * dyBatch + o * outLength, outLength));
        }
        if (input.RequiresGrad) BackwardInput(y, input, weight, dy);
    }

    /// <summary>dcols[n] = Wᵀ · dY[n] for the whole batch in one GEMM, then col2im into dx.</summary>
    private static void BackwardInput(Tensor y, Tensor input, Tensor weight, ReadOnlySpan<float> dy)
    {
        int batch = y.Shape[0], outChannels = y.Shape[1], outLength = y.Shape[2];
        int rows = weight.Shape[1] * weight.Shape[2];
        Span<int> shape = stackalloc int[] { batch, rows, outLength };
        var dcols = Tensor.Allocate(shape);                           // (batch, inC·K, outLen)
        Gemm.Multiply(batch, rows, outLength, outChannels, 1f,
            weight.AsSpan(), new MatrixStrides(0, 1, rows),          // Wᵀ: element (i, o) is W[o, i]
            dy, new MatrixStrides((long)outChannels * outLength, outLength, 1),
            0f, dcols.AsSpan(), new MatrixStrides((long)rows * outLength, outLength, 1));
        Col2ImAccumulate(dcols.AsSpan(), input.GradBuffer(), input.Shape, weight.Shape[2], y.Int0, y.Int1, outLength);
    }

    /// <summary>cols[n, c·K + k, j] = x[n, c, j·stride + k − padding], 0 where that falls in the padding. Reads x through its strides.</summary>
    private static void Im2Col(Tensor input, Span<float> cols, int kernel, int stride, int padding, int outLength)
    {
        var x = input.Storage.AsSpan();
        int batch = input.Shape[0], channels = input.Shape[1], length = input.Shape[2];
        int sn = input.Strides[0], sc = input.Strides[1], sl = input.Strides[2];
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                int source = input.Offset + n * sn + c * sc;
                for (int k = 0; k < kernel; k++)
                {
                    var row = cols.Slice(((n * channels + c) * kernel + k) * outLength, outLength);
                    ValidRange(k, stride, padding, length, outLength, out int lo, out int hi);
                    row[..lo].Clear();
                    row[hi..].Clear();
                    if (hi == lo) continue;                           // this tap sees only padding
                    int first = lo * stride + k - padding;            // input position read by column lo
                    if (stride == 1 && sl == 1)
                    {
                        x.Slice(source + first, hi - lo).CopyTo(row[lo..hi]);
                        continue;
                    }
                    for (int j = lo, at = source + first * sl; j < hi; j++, at += stride * sl) row[j] = x[at];
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: dx[n, c, j·stride + k − padding] += dcols[n, c·K + k, j] (dx dense).</summary>
    private static void Col2ImAccumulate(ReadOnlySpan<float> dcols, Span<float> dx, ReadOnlySpan<int> inputShape,
        int kernel, int stride, int padding, int outLength)
    {
        int batch = inputShape[0], channels = inputShape[1], length = inputShape[2];
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                int target = (n * channels + c) * length;
                for (int k = 0; k < kernel; k++)
                {
                    var row = dcols.Slice(((n * channels + c) * kernel + k) * outLength, outLength);
                    ValidRange(k, stride, padding, length, outLength, out int lo, out int hi);
                    if (hi == lo) continue;
                    int first = target + lo * stride + k - padding;
                    if (stride == 1)
                    {
                        var d = dx.Slice(first, hi - lo);
                        TensorPrimitives.Add(d, row[lo..hi], d);
                        continue;
                    }
                    for (int j = lo, at = first; j < hi; j++, at += stride) dx[at] += row[j];
                }
            }
        }
    }

    /// <summary>The output columns [lo, hi) whose kernel tap <paramref name="k"/> lands inside the unpadded input:
    /// 0 ≤ j·stride + k − padding &lt; length.</summary>
    private static void ValidRange(int k, int stride, int padding, int length, int outLength, out int lo, out int hi)
    {
        int before = padding - k;                                     // j·stride must reach this
        lo = before <= 0 ? 0 : Math.Min(outLength, (before + stride - 1) / stride);
        int last = length - 1 + padding - k;                          // j·stride must not pass this
        hi = last < 0 ? 0 : Math.Min(outLength, last / stride + 1);
        if (hi < lo) hi = lo;
    }

    /// <summary>y[n, o, :] = b[o], the starting value the GEMM accumulates onto (beta = 1).</summary>
    private static void FillBias(Span<float> y, ReadOnlySpan<float> b, int outLength)
    {
        for (int row = 0; row * outLength < y.Length; row++)
            y.Slice(row * outLength, outLength).Fill(b[row % b.Length]);
    }

    /// <summary>Validates shapes and arguments and returns the output length.</summary>
    private static int CheckArguments(Tensor input, Tensor weight, Tensor? bias, int stride, int padding)
    {
        if (stride < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"Conv1d: stride must be at least 1 (input {input.Describe()})");
        if (padding < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Conv1d: padding must not be negative (input {input.Describe()})");
        if (input.Rank != 3 || weight.Rank != 3)
            throw new ShapeMismatchException("Conv1d", input.Shape, weight.Shape,
                "input must be (batch, inChannels, length) and weight (outChannels, inChannels, kernelSize)");
        if (input.Shape[1] != weight.Shape[1])
            throw new ShapeMismatchException("Conv1d", input.Shape, weight.Shape,
                $"input has {input.Shape[1]} channels but the weight expects {weight.Shape[1]}");
        int kernel = weight.Shape[2], padded = input.Shape[2] + 2 * padding;
        if (kernel < 1 || kernel > padded)
            throw new ShapeMismatchException("Conv1d", input.Shape, weight.Shape,
                $"kernel size {kernel} must be between 1 and the padded input length {padded} (length {input.Shape[2]} + 2 * padding {padding})");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
            throw new ShapeMismatchException("Conv1d", weight.Shape, bias.Shape,
                $"bias must be (outChannels) = ({weight.Shape[0]},)");
        return (padded - kernel) / stride + 1;
    }
}

public static partial class TensorOps
{
    /// <summary>
    /// 1-d convolution with PyTorch's semantics (<c>F.conv1d</c>: cross-correlation, zero padding on both
    /// ends, dilation 1, groups 1): y[n, o, j] = b[o] + Σ_{c,k} w[o, c, k] · x[n, c, j·stride + k − padding].
    /// outLength = (length + 2·padding − kernelSize) / stride + 1 (rounded down).
    /// </summary>
    /// <param name="input">(batch, inChannels, length); may be a view.</param>
    /// <param name="weight">(outChannels, inChannels, kernelSize).</param>
    /// <param name="bias">(outChannels), or null.</param>
    /// <param name="stride">Step between output positions, at least 1.</param>
    /// <param name="padding">Zeros added at each end of the length axis, at least 0.</param>
    /// <returns>(batch, outChannels, outLength).</returns>
    /// <exception cref="ShapeMismatchException">Ranks, channel counts or bias size do not fit, or the kernel is longer than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stride"/> &lt; 1 or <paramref name="padding"/> &lt; 0.</exception>
    public static Tensor Conv1d(this Tensor input, Tensor weight, Tensor? bias, int stride = 1, int padding = 0) =>
        Conv1dOp.Forward(input, weight, bias, stride, padding);
}
