using System.Buffers.Binary;
using EncDec.Tensors;

namespace EncDec.Interop.CTranslate2;

/// <summary>
/// One named variable of a CTranslate2 <c>model.bin</c>: its shape, element type, where its bytes start in the
/// file, and the bytes themselves (little-endian, row-major). Rank 0 variables are attributes (<c>num_heads</c>,
/// <c>pre_norm</c>, ...); the others are weights.
/// </summary>
public sealed class CTranslate2Variable
{
    private readonly byte[] _data;

    internal CTranslate2Variable(string name, int[] shape, CTranslate2DataType dataType, long offset, byte[] data)
    {
        Name = name;
        Shape = shape;
        DataType = dataType;
        Offset = offset;
        _data = data;
        Count = shape.Aggregate(1, (product, dim) => product * dim);
    }

    /// <summary>The variable's name, e.g. <c>encoder/layer_0/self_attention/linear_0/weight</c>.</summary>
    public string Name { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The element type.</summary>
    public CTranslate2DataType DataType { get; }

    /// <summary>Byte offset of the first data byte in the file.</summary>
    public long Offset { get; }

    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Count { get; }

    /// <summary>Whether this is a rank-0 attribute.</summary>
    public bool IsScalar => Shape.Count == 0;

    /// <summary>The shape written as tensor shapes are everywhere in EncDec: <c>(43, 32)</c>, <c>(43,)</c>, <c>()</c>.</summary>
    public string FormatShape() => ShapeMath.Format([.. Shape]);

    /// <summary>
    /// The values as floats, row-major. Float types are converted exactly; integer types are divided by
    /// <paramref name="scale"/> when one is given (CTranslate2 quantizes as q = round(x · scale), with one
    /// scale for the whole variable or one per row), else returned as their integer values.
    /// </summary>
    /// <param name="scale">The <c>NAME_scale</c> variable of a quantized weight: 1 value, or one per row (dimension 0).</param>
    /// <exception cref="InvalidDataException">The scale has neither 1 nor (rows) values.</exception>
    public float[] ToFloats(CTranslate2Variable? scale = null)
    {
        var values = new float[Count];
        for (int i = 0; i < values.Length; i++) values[i] = Element(i);
        if (scale is not null && DataType is CTranslate2DataType.Int8 or CTranslate2DataType.Int16) Dequantize(values, scale);
        return values;
    }

    /// <summary>The value of a scalar attribute (or of a one-element variable) as a double.</summary>
    /// <exception cref="InvalidDataException">The variable holds more than one value.</exception>
    public double ScalarValue()
    {
        if (Count != 1)
            throw new InvalidDataException($"CTranslate2 variable '{Name}' {FormatShape()} is not a scalar");
        return Element(0);
    }

    private float Element(int index)
    {
        var bytes = _data.AsSpan();
        return DataType switch
        {
            CTranslate2DataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * index)..]),
            CTranslate2DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * index)..]),
            CTranslate2DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * index)..]),
            CTranslate2DataType.Int8 => (sbyte)bytes[index],
            CTranslate2DataType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * index)..]),
            CTranslate2DataType.BFloat16 =>
                BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * index)..]) << 16),
            _ => throw new InvalidOperationException($"unknown data type {DataType}"),
        };
    }

    private void Dequantize(float[] values, CTranslate2Variable scale)
    {
        var factors = scale.ToFloats();
        int rows = Shape.Count == 0 ? 1 : Shape[0];
        if (factors.Length != 1 && factors.Length != rows)
            throw new InvalidDataException(
                $"CTranslate2 variable '{scale.Name}' {scale.FormatShape()} must hold 1 or {rows} scales for '{Name}' {FormatShape()}");
        int rowLength = factors.Length == 1 ? values.Length : values.Length / rows;
        for (int row = 0; row < factors.Length; row++)
            TensorPrimitives.Divide(values.AsSpan(row * rowLength, rowLength), factors[row], values.AsSpan(row * rowLength, rowLength));
    }
}
