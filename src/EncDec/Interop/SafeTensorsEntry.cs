namespace EncDec.Interop;

/// <summary>
/// One tensor's header record: its element type, shape and byte range [<see cref="Begin"/>,
/// <see cref="End"/>) relative to the start of the data buffer (after the header).
/// </summary>
/// <param name="Name">Checkpoint key, e.g. <c>encoder.layers.0.fc1.weight</c>.</param>
/// <param name="DType">Element type as stored.</param>
/// <param name="Shape">Row-major shape; empty for a scalar.</param>
/// <param name="Begin">First byte, relative to the data buffer.</param>
/// <param name="End">One past the last byte, relative to the data buffer.</param>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, IReadOnlyList<int> Shape, long Begin, long End)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (count, d) => count * d);

    /// <summary>Bytes the range covers.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape written as <c>(2, 3)</c>, for messages.</summary>
    public string FormatShape() => "(" + string.Join(", ", Shape) + ")";
}
