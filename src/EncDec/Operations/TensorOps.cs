using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// The differentiable operations on <see cref="Tensor"/>, as extension methods. Each operation's
/// entry point lives in the same file as its forward and backward (e.g. <c>MatMulOp.cs</c>).
/// Shape mismatches throw <see cref="ShapeMismatchException"/> naming the operation and the shapes.
/// </summary>
public static partial class TensorOps
{
}
