using EncDec.Autograd;

namespace EncDec.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaf tensors (parameters); operation outputs
    /// require grad when any input does and <see cref="GradMode"/> is enabled.
    /// </summary>
    public bool RequiresGrad { get; set; }

    /// <summary>d(loss)/d(this) accumulated by <see cref="Backward()"/>, same shape; null until the first backward.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>True for tensors not produced by a recorded operation.</summary>
    public bool IsLeaf => Creator is null;

    // The record an operation leaves on its output for backward. Fields rather than a separate
    // node object so that recording allocates nothing.
    internal Operation? Creator;
    internal Tensor? Input0, Input1, Input2;
    internal Tensor? Saved0, Saved1;
    internal float Scalar0, Scalar1;
    internal int Int0, Int1;
    internal object? Context;
    internal int VisitStamp;

    /// <summary>Back-propagates from this one-element tensor (the loss) into every tensor that requires grad.</summary>
    public void Backward()
    {
        if (Count != 1)
            throw new InvalidOperationException($"Backward() needs a one-element loss; tensor {Describe()} has {Count} elements");
        if (!RequiresGrad)
            throw new InvalidOperationException(
                $"Backward(): tensor {Describe()} does not require grad (no input had RequiresGrad, or grad mode was disabled)");
        var seed = GradBuffer();
        seed.Fill(0f);
        seed[0] = 1f;
        BackwardPass.Run(this);
    }

    /// <summary>Back-propagates with <paramref name="gradient"/> (same shape) as d(loss)/d(this), for a non-scalar output.</summary>
    public void Backward(Tensor gradient)
    {
        if (!ShapeMath.Same(gradient.Shape, Shape))
            throw new ShapeMismatchException("Backward", gradient.Shape, Shape, "the seed gradient must have the output's shape");
        if (!RequiresGrad)
            throw new InvalidOperationException($"Backward(): tensor {Describe()} does not require grad");
        StridedCopy.ToDense(gradient, GradBuffer());
        BackwardPass.Run(this);
    }

    /// <summary>Sets every element of <see cref="Grad"/> to zero (keeps the memory).</summary>
    public void ZeroGrad() => Grad?.AsSpan().Clear();

    /// <summary>A view of the same data with no autograd history.</summary>
    public Tensor Detach() => CreateView(this, Offset, Shape, Strides);

    /// <summary>The gradient's elements, allocating a zero gradient first if there is none.</summary>
    internal Span<float> GradBuffer()
    {
        Grad ??= AllocateZeros(Shape, persistent: !IsScoped);
        return Grad.AsSpan();
    }

    /// <summary>The gradient's elements for a caller that writes every element: when there was no gradient yet,
    /// <paramref name="fresh"/> is true and the new buffer is not zeroed (the caller assigns instead of adding);
    /// otherwise the caller accumulates as usual. Saves a pass over memory per activation gradient.</summary>
    internal Span<float> GradBufferForOverwrite(out bool fresh)
    {
        fresh = Grad is null;
        Grad ??= Allocate(Shape, persistent: !IsScoped);
        return Grad.AsSpan();
    }

    /// <summary>Records <paramref name="operation"/> as this tensor's creator when any input requires grad.
    /// Returns whether it did, so the caller knows whether to save tensors for backward.</summary>
    internal bool Record(Operation operation, Tensor input0, Tensor? input1 = null, Tensor? input2 = null)
    {
        if (!GradMode.IsEnabled) return false;
        if (!input0.RequiresGrad && !(input1?.RequiresGrad ?? false) && !(input2?.RequiresGrad ?? false)) return false;
        Creator = operation;
        Input0 = input0;
        Input1 = input1;
        Input2 = input2;
        RequiresGrad = true;
        return true;
    }

    private void ClearAutograd()
    {
        RequiresGrad = false;
        Grad = null;
        Creator = null;
        Input0 = Input1 = Input2 = Saved0 = Saved1 = null;
        Scalar0 = Scalar1 = 0f;
        Int0 = Int1 = 0;
        Context = null;
        VisitStamp = 0;
    }
}
