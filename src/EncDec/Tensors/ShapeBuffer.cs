using System.Runtime.CompilerServices;

namespace EncDec.Tensors;

/// <summary>
/// Inline storage for up to <see cref="MaxRank"/> dimensions, so that a tensor's shape and strides
/// live inside the tensor object and creating a tensor allocates no arrays.
/// </summary>
[InlineArray(MaxRank)]
internal struct ShapeBuffer
{
    /// <summary>The largest rank a tensor may have.</summary>
    public const int MaxRank = 8;
    private int _element0;
}
