using EncDec.Tensors;

namespace EncDec.Autograd;

/// <summary>
/// The backward half of a differentiable operation. Each operation is a stateless singleton; what
/// its backward needs (inputs, saved tensors, scalars) is recorded on the output tensor, so that
/// recording an operation allocates nothing. Backward reads <c>output.Grad</c> and accumulates
/// (+=) into the gradients of the inputs that require them.
/// </summary>
internal abstract class Operation
{
    /// <summary>Name used in error messages and graph dumps.</summary>
    public abstract string Name { get; }

    /// <summary>Accumulates d(loss)/d(input) for each recorded input from <c>output.Grad</c>.</summary>
    public abstract void Backward(Tensor output);

    /// <summary>Returns any pooled context the forward stored on <paramref name="output"/>.</summary>
    public virtual void OnRelease(Tensor output) { }
}
