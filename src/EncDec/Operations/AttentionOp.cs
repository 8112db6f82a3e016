using System.Buffers;
using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// Scaled dot-product attention over already projected heads as one operation:
/// out = merge(dropout(softmax(q·kᵀ·scale + bias, masked)) · v). The composition of MatMul, Add, MaskedFill, Softmax,
/// Dropout, MatMul and Permute gives the same values but materialises scores, weights and permuted copies and runs
/// small batched products with 30-wide edges; this reads q, k and v in place through their strides, keeps each
/// (row, head) pair in L1 through the softmax (<see cref="AttentionKernel"/>) and its backward
/// (<see cref="AttentionGradientKernel"/>), and writes the heads side by side, ready for the output projection.
/// Forward saves the weights P; backward reads them (masked keys have P = 0, so masks need no saving).
/// </summary>
internal sealed unsafe class AttentionOp : Operation
{
    public static readonly AttentionOp Instance = new();
    public override string Name => "Attention";

    /// <param name="q">(batch, heads, tgtLen, headDim), any strides with contiguous features.</param>
    /// <param name="k">(batch, heads, srcLen, headDim), likewise.</param>
    /// <param name="v">(batch, heads, srcLen, headDim), likewise.</param>
    /// <param name="scale">Multiplies q before the dot products.</param>
    /// <param name="keyPaddingMask">(batch, srcLen), nonzero at padded keys; or null.</param>
    /// <param name="causal">Query t sits at key position srcLen - tgtLen + t and sees no key after it.</param>
    /// <param name="positionBias">(1 or batch, heads, tgtLen, srcLen) added to the scores, or null; it receives a
    /// gradient when it requires one.</param>
    /// <param name="dropout">(batch, heads, tgtLen, srcLen) factors (0 or 1/(1 - p)) multiplying the weights, or null.</param>
    /// <param name="weights">(batch, heads, tgtLen, srcLen) the softmax weights before dropout; no gradient flows
    /// back through them.</param>
    /// <returns>(batch, tgtLen, heads · headDim)</returns>
    public static Tensor Forward(Tensor q, Tensor k, Tensor v, float scale, Tensor? keyPaddingMask, bool causal,
        Tensor? positionBias, Tensor? dropout, out Tensor weights)
    {
        var shape = Check(q, k, v, keyPaddingMask, causal, positionBias, dropout);
        (q, k, v) = (FeaturesContiguous(q), FeaturesContiguous(k), FeaturesContiguous(v));
        var mask = keyPaddingMask is null ? null : Dense(keyPaddingMask);
        var bias = positionBias is null ? null : Dense(positionBias);
        dropout = dropout is null ? null : Dense(dropout);
        var y = Tensor.Allocate([shape.Batch, shape.Queries, shape.Heads * shape.HeadDim]);
        weights = Tensor.Allocate([shape.Batch, shape.Heads, shape.Queries, shape.Keys]);
        if (weights.Count > 0)   // with headDim 0 the weights still exist (uniform over the visible keys)
        {
            var problem = Problem(q, k, v, scale, bias, dropout, weights);
            problem.Out = y.Storage.Pointer(y.Offset);
            problem.Mask = mask is null ? null : mask.Storage.Pointer(mask.Offset);
            problem.Causal = causal;
            AttentionKernel.Run(problem);
        }
        else
        {
            y.AsSpan().Clear();
        }
        bool biasGrad = positionBias is { RequiresGrad: true } && GradMode.IsEnabled;
        if (y.Record(Instance, q, k, v) || (biasGrad && y.Record(Instance, positionBias!)))
        {
            (y.Input0, y.Input1, y.Input2) = (q, k, v);
            (y.Saved0, y.Saved1, y.Scalar0) = (weights, dropout, scale);
            if (biasGrad)
            {
                var many = ArrayPool<Tensor>.Shared.Rent(1);
                many.AsSpan().Clear();
                many[0] = positionBias!;
                y.Context = many;
            }
        }
        return y;
    }

    public override void Backward(Tensor y)
    {
        Tensor q = y.Input0!, k = y.Input1!, v = y.Input2!, weights = y.Saved0!;
        var bias = (y.Context as Tensor[])?[0];
        if (y.Count == 0 || weights.Count == 0) return;
        var problem = Problem(q, k, v, y.Scalar0, null, y.Saved1, weights);
        (problem.OutRow, problem.OutPosition) = ((long)q.Dim(2) * y.Dim(2), y.Dim(2));
        var gradients = new AttentionGradients { OutGrad = Pointer(y.Grad!) };
        Tensor? vOwner = v.RequiresGrad ? GradientOwner(v) : null, qOwner = q.RequiresGrad ? GradientOwner(q) : null;
        Tensor? kOwner = k.RequiresGrad ? GradientOwner(k) : null;
        // A new gradient buffer is overwritten rather than zeroed and added to, unless two operands share an owner (the
        // same tensor twice, or one projection read in two layouts): one operand's pairs could then add to elements
        // another thread has not yet overwritten for the other.
        bool distinct = (vOwner is null || (vOwner != qOwner && vOwner != kOwner)) && (qOwner is null || qOwner != kOwner);
        if (vOwner is not null) gradients.VGrad = GradientTarget(v, vOwner, distinct, out gradients.AccumulateV, out gradients.VGradRow, out gradients.VGradHead, out gradients.VGradPosition);
        if (qOwner is not null) gradients.QGrad = GradientTarget(q, qOwner, distinct, out gradients.AccumulateQ, out gradients.QGradRow, out gradients.QGradHead, out gradients.QGradPosition);
        if (kOwner is not null) gradients.KGrad = GradientTarget(k, kOwner, distinct, out gradients.AccumulateK, out gradients.KGradRow, out gradients.KGradHead, out gradients.KGradPosition);
        Tensor? biasGrad = bias is { RequiresGrad: true } ? Tensor.Allocate(weights.Shape) : null;
        if (biasGrad is not null) gradients.BiasGrad = Pointer(biasGrad);
        AttentionGradientKernel.Run(problem, gradients);
        if (biasGrad is not null) GradientReduction.AccumulateBroadcast(bias!, biasGrad.AsSpan(), biasGrad.Shape);
    }

    public override void OnRelease(Tensor output)
    {
        if (output.Context is Tensor[] many) ArrayPool<Tensor>.Shared.Return(many, clearArray: true);
    }

    /// <summary>The operands' layout; q, k and v have contiguous features, the others are dense.</summary>
    private static AttentionProblem Problem(Tensor q, Tensor k, Tensor v, float scale, Tensor? bias, Tensor? dropout, Tensor weights)
    {
        int heads = q.Dim(1), queries = q.Dim(2), keys = k.Dim(2);
        return new AttentionProblem
        {
            Rows = q.Dim(0), Heads = heads, HeadDim = q.Dim(3), Queries = queries, Keys = keys, Scale = scale,
            Format = KeyValueFormat.Float32,
            Q = Pointer(q), QRow = q.Strides[0], QHead = q.Strides[1], QPosition = q.Strides[2],
            K = Pointer(k), KRow = k.Strides[0], KHead = k.Strides[1], KPosition = k.Strides[2],
            V = Pointer(v), VRow = v.Strides[0], VHead = v.Strides[1], VPosition = v.Strides[2],
            OutRow = (long)queries * heads * q.Dim(3), OutPosition = (long)heads * q.Dim(3),
            Bias = bias is null ? null : Pointer(bias),
            BiasRow = bias is null || bias.Dim(0) == 1 ? 0 : (long)heads * queries * keys,
            Dropout = dropout is null ? null : Pointer(dropout),
            Weights = Pointer(weights), WeightsRow = (long)heads * queries * keys, WeightsHead = (long)queries * keys,
        };
    }

    private static float* Pointer(Tensor t) => t.Storage.Pointer(t.Offset);

    /// <summary>
    /// The tensor whose gradient receives <paramref name="t"/>'s. When t is a chain of reshapes and permutations (views
    /// of the same storage) of a contiguous tensor, as the split heads of <see cref="Nn.MultiHeadAttention"/> are of
    /// their projection, that tensor: its gradient is written through t's strides, so the views' own backward (a
    /// permuted copy, then a dense copy of every element) never runs, their gradients staying null. Otherwise t itself.
    /// </summary>
    private static Tensor GradientOwner(Tensor t)
    {
        var owner = t;
        while (owner.Creator is PermuteOp or ReshapeOp && owner.Input0 is { } input && input.Storage == owner.Storage) owner = input;
        return owner != t && owner.IsContiguous && owner.RequiresGrad ? owner : t;
    }

    /// <summary>Where element (row, head, position, 0) of <paramref name="t"/>'s gradient lives in
    /// <paramref name="owner"/>'s gradient, and its strides; <paramref name="accumulate"/> is false when the buffer is new
    /// and may be overwritten (its contents are then undefined).</summary>
    private static float* GradientTarget(Tensor t, Tensor owner, bool overwriteFresh, out bool accumulate,
        out long row, out long head, out long position)
    {
        bool fresh = false;
        if (overwriteFresh) owner.GradBufferForOverwrite(out fresh);
        else owner.GradBuffer();
        accumulate = !fresh;
        if (owner == t)
        {
            (row, head, position) = ((long)t.Dim(1) * t.Dim(2) * t.Dim(3), (long)t.Dim(2) * t.Dim(3), t.Dim(3));
            return Pointer(owner.Grad!);
        }
        (row, head, position) = (t.Strides[0], t.Strides[1], t.Strides[2]);
        return Pointer(owner.Grad!) + (t.Offset - owner.Offset);
    }

    private static Tensor FeaturesContiguous(Tensor t) => t.Strides[3] == 1 || t.Dim(3) <= 1 ? t : t.Contiguous();

    private static Tensor Dense(Tensor t) => t.IsContiguous ? t : t.Contiguous();

    private static (int Batch, int Heads, int Queries, int Keys, int HeadDim) Check(Tensor q, Tensor k, Tensor v,
        Tensor? mask, bool causal, Tensor? bias, Tensor? dropout)
    {
        if (q.Rank != 4 || k.Rank != 4 || v.Rank != 4)
            throw new ShapeMismatchException("Attention", $"q {ShapeMath.Format(q.Shape)}, k {ShapeMath.Format(k.Shape)} and v {ShapeMath.Format(v.Shape)} must be (batch, heads, len, headDim)");
        int batch = q.Dim(0), heads = q.Dim(1), queries = q.Dim(2), keys = k.Dim(2), dim = q.Dim(3);
        if (k.Dim(0) != batch || k.Dim(1) != heads || k.Dim(3) != dim || !ShapeMath.Same(k.Shape, v.Shape))
            throw new ShapeMismatchException("Attention", $"k {ShapeMath.Format(k.Shape)} and v {ShapeMath.Format(v.Shape)} must be (batch {batch}, heads {heads}, srcLen, headDim {dim}) like q {ShapeMath.Format(q.Shape)}");
        if (mask is not null && (mask.Rank != 2 || mask.Dim(0) != batch || mask.Dim(1) != keys))
            throw new ShapeMismatchException("Attention", $"keyPaddingMask {ShapeMath.Format(mask.Shape)} must be (batch {batch}, srcLen {keys})");
        if (causal && queries > keys)
            throw new ArgumentException($"Attention: a causal mask needs tgtLen {queries} <= srcLen {keys}");
        if (bias is not null && (bias.Rank != 4 || (bias.Dim(0) != 1 && bias.Dim(0) != batch) || bias.Dim(1) != heads
            || bias.Dim(2) != queries || bias.Dim(3) != keys))
            throw new ShapeMismatchException("Attention", $"positionBias {ShapeMath.Format(bias.Shape)} must be (1 or batch {batch}, heads {heads}, tgtLen {queries}, srcLen {keys})");
        if (dropout is not null && (dropout.Rank != 4 || dropout.Dim(0) != batch || dropout.Dim(1) != heads
            || dropout.Dim(2) != queries || dropout.Dim(3) != keys))
            throw new ShapeMismatchException("Attention", $"dropout factors {ShapeMath.Format(dropout.Shape)} must be (batch {batch}, heads {heads}, tgtLen {queries}, srcLen {keys})");
        return (batch, heads, queries, keys, dim);
    }
}
