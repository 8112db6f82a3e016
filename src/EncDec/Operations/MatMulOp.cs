using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// C = op(A) · op(B), op = optional transpose, batched over leading dimensions; a 2-D operand is
/// shared by every batch. Transposed and strided operands go to the GEMM as strides, never copied.
/// Backward (matrix calculus): dA = dC · op(B)ᵀ, dB = op(A)ᵀ · dC, each written as a GEMM with
/// beta = 1 straight into the gradient buffers; for a transposed operand the transposed product is
/// computed so that the gradient's rows stay contiguous.
/// </summary>
internal sealed class MatMulOp : Operation
{
    public static readonly MatMulOp Instance = new();
    public override string Name => "MatMul";

    public static Tensor Forward(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        var c = Product(ref a, ref b, transposeA, transposeB, bias: null);
        if (c.Record(Instance, a, b)) c.Int0 = (transposeA ? 1 : 0) | (transposeB ? 2 : 0);
        return c;
    }

    /// <summary>op(a) · op(b), plus <paramref name="bias"/> (n) on every row when given: C starts as the bias and
    /// the GEMM adds the product (beta = 1), which saves a separate pass over C. Operands the GEMM cannot address
    /// are made contiguous (the caller records the ones returned).</summary>
    internal static Tensor Product(ref Tensor a, ref Tensor b, bool transposeA, bool transposeB, Tensor? bias)
    {
        if (!MatMulPlan.BatchFlattenable(a)) a = a.Contiguous();
        if (!MatMulPlan.BatchFlattenable(b)) b = b.Contiguous();
        var plan = MatMulPlan.Create(a, b, transposeA, transposeB);
        Span<int> shape = stackalloc int[Math.Max(a.Rank, b.Rank)];
        MatMulPlan.OutputShape(a, b, transposeA, transposeB, shape);
        var c = Tensor.Allocate(shape);
        var output = c.AsSpan();
        if (bias is not null)
        {
            RowBroadcast.Fill(bias.IsContiguous ? bias.AsSpan() : bias.Contiguous().AsSpan(), output);
        }
        Gemm.Multiply(plan.Batch, plan.M, plan.N, plan.K, 1f, Elements(a), plan.A, Elements(b), plan.B,
            bias is null ? 0f : 1f, output, new MatrixStrides((long)plan.M * plan.N, plan.N, 1));
        return c;
    }

    public override void Backward(Tensor c) => BackwardProduct(c, c.Input0!, c.Input1!, (c.Int0 & 1) != 0, (c.Int0 & 2) != 0);

    /// <summary>The gradients of op(a) · op(b) given c's gradient: dA = dC · op(B)ᵀ, dB = op(A)ᵀ · dC.</summary>
    internal static void BackwardProduct(Tensor c, Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        var plan = MatMulPlan.Create(a, b, transposeA, transposeB);
        var dC = new MatrixStrides((long)plan.M * plan.N, plan.N, 1);
        ReadOnlySpan<float> gradC = c.Grad!.AsSpan();
        if (a.RequiresGrad)
        {
            var gradA = a.GradBufferForOverwrite(out bool fresh);
            if (!transposeA)   // dA (m x k) = dC · op(B)ᵀ
                Accumulate(plan, plan.BroadcastA, plan.M, plan.K, plan.N, gradC, dC, Elements(b), Transposed(plan.B), gradA, fresh);
            else               // dAᵀ... A is stored (k x m): dA_stored = op(B) · dCᵀ
                Accumulate(plan, plan.BroadcastA, plan.K, plan.M, plan.N, Elements(b), plan.B, gradC, Transposed(dC), gradA, fresh);
        }
        if (b.RequiresGrad)
        {
            var gradB = b.GradBufferForOverwrite(out bool fresh);
            if (!transposeB)   // dB (k x n) = op(A)ᵀ · dC
                Accumulate(plan, plan.BroadcastB, plan.K, plan.N, plan.M, Elements(a), Transposed(plan.A), gradC, dC, gradB, fresh);
            else               // B is stored (n x k): dB_stored = dCᵀ · op(A)
                Accumulate(plan, plan.BroadcastB, plan.N, plan.K, plan.M, gradC, Transposed(dC), Elements(a), plan.A, gradB, fresh);
        }
    }

    /// <summary>gradient (rows x cols per batch, dense) += left · right over the plan's batches (= when
    /// <paramref name="fresh"/>: the buffer was just allocated and holds garbage); a broadcast operand's gradient
    /// sums every batch's product into one matrix.</summary>
    private static void Accumulate(in MatMulPlan plan, bool broadcastTarget, int rows, int cols, int inner,
        ReadOnlySpan<float> left, MatrixStrides leftStrides, ReadOnlySpan<float> right, MatrixStrides rightStrides,
        Span<float> gradient, bool fresh)
    {
        float beta = fresh ? 0f : 1f;
        if (!broadcastTarget)
        {
            Gemm.Multiply(plan.Batch, rows, cols, inner, 1f, left, leftStrides, right, rightStrides,
                beta, gradient, new MatrixStrides((long)rows * cols, cols, 1));
            return;
        }
        if (plan.Batch == 0 && fresh) gradient.Clear();
        for (int batch = 0; batch < plan.Batch; batch++, beta = 1f)
            Gemm.Multiply(1, rows, cols, inner, 1f,
                left[(int)(batch * leftStrides.Batch)..], leftStrides, right[(int)(batch * rightStrides.Batch)..], rightStrides,
                beta, gradient, new MatrixStrides(0, cols, 1));
    }

    private static MatrixStrides Transposed(MatrixStrides s) => new(s.Batch, s.Col, s.Row);

    private static Span<float> Elements(Tensor t) => t.Storage.AsSpan()[t.Offset..];
}

public static partial class TensorOps
{
    /// <summary>
    /// Matrix product op(a) · op(b) over the last two dimensions: a (..., m, k), b (..., k, n) →
    /// (..., m, n); with <paramref name="transposeA"/> a is (..., k, m), with <paramref name="transposeB"/>
    /// b is (..., n, k). Batch dimensions must match, or one operand is 2-D and is shared.
    /// </summary>
    public static Tensor MatMul(this Tensor a, Tensor b, bool transposeA = false, bool transposeB = false) =>
        MatMulOp.Forward(a, b, transposeA, transposeB);
}
