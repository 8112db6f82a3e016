namespace EncDec.Tensors;

/// <summary>Thrown when an operation receives tensors whose shapes do not fit together; names the operation and both shapes.</summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="operation"/> applied to shapes <paramref name="a"/> and <paramref name="b"/>.</summary>
    public ShapeMismatchException(string operation, ReadOnlySpan<int> a, ReadOnlySpan<int> b, string detail)
        : base($"{operation}: shapes {ShapeMath.Format(a)} and {ShapeMath.Format(b)} do not match ({detail})")
    {
        Operation = operation;
    }

    /// <summary>Creates the exception with a message the caller composed (must name operation and shapes).</summary>
    public ShapeMismatchException(string operation, string message) : base($"{operation}: {message}")
    {
        Operation = operation;
    }

    /// <summary>The operation that rejected the shapes.</summary>
    public string Operation { get; }
}
