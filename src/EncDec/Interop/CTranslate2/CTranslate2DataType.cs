namespace EncDec.Interop.CTranslate2;

/// <summary>
/// Element types of a CTranslate2 <c>model.bin</c> variable. From binary version 4 the file stores these ids
/// (the order of CTranslate2's <c>DataType</c> enum); versions 2 and 3 store only the item size, which
/// CTranslate2 reads as 4 → Float32, 2 → Int16, 1 → Int8.
/// </summary>
public enum CTranslate2DataType : byte
{
    /// <summary>IEEE 754 single precision.</summary>
    Float32 = 0,
    /// <summary>Signed 8-bit integer: quantized weights (with a <c>_scale</c> variable) or flags.</summary>
    Int8 = 1,
    /// <summary>Signed 16-bit integer: quantized weights (with a <c>_scale</c> variable).</summary>
    Int16 = 2,
    /// <summary>Signed 32-bit integer: attributes such as <c>num_heads</c>.</summary>
    Int32 = 3,
    /// <summary>IEEE 754 half precision.</summary>
    Float16 = 4,
    /// <summary>bfloat16: the high 16 bits of a float32.</summary>
    BFloat16 = 5,
}

/// <summary>Sizes and names of <see cref="CTranslate2DataType"/>.</summary>
public static class CTranslate2DataTypes
{
    /// <summary>Bytes per element.</summary>
    public static int ItemSize(CTranslate2DataType type) => type switch
    {
        CTranslate2DataType.Float32 or CTranslate2DataType.Int32 => 4,
        CTranslate2DataType.Int16 or CTranslate2DataType.Float16 or CTranslate2DataType.BFloat16 => 2,
        CTranslate2DataType.Int8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a CTranslate2 data type"),
    };

    /// <summary>Whether <paramref name="id"/> (a type byte of a version 4+ file) names a known type.</summary>
    public static bool IsDefined(byte id) => id <= (byte)CTranslate2DataType.BFloat16;

    /// <summary>The type CTranslate2 infers from a version 2 or 3 item size, or null for any other size.</summary>
    public static CTranslate2DataType? FromItemSize(byte itemSize) => itemSize switch
    {
        4 => CTranslate2DataType.Float32,
        2 => CTranslate2DataType.Int16,
        1 => CTranslate2DataType.Int8,
        _ => null,
    };
}
