namespace EncDec.Interop;

/// <summary>Element types a safetensors header may name (the <c>"dtype"</c> field).</summary>
public enum SafeTensorsDType
{
    /// <summary>Boolean, one byte.</summary>
    Bool,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>8-bit float, 5 exponent and 2 mantissa bits.</summary>
    F8E5M2,
    /// <summary>8-bit float, 4 exponent and 3 mantissa bits.</summary>
    F8E4M3,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>Unsigned 16-bit integer.</summary>
    U16,
    /// <summary>IEEE 754 half precision.</summary>
    F16,
    /// <summary>bfloat16: the high 16 bits of a float32.</summary>
    BF16,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Unsigned 32-bit integer.</summary>
    U32,
    /// <summary>IEEE 754 single precision.</summary>
    F32,
    /// <summary>IEEE 754 double precision.</summary>
    F64,
    /// <summary>Signed 64-bit integer.</summary>
    I64,
    /// <summary>Unsigned 64-bit integer.</summary>
    U64,
}

/// <summary>Header spellings and element sizes of <see cref="SafeTensorsDType"/>.</summary>
public static class SafeTensorsDTypes
{
    private static readonly (string Name, SafeTensorsDType DType, int Size)[] Table =
    [
        ("BOOL", SafeTensorsDType.Bool, 1), ("U8", SafeTensorsDType.U8, 1), ("I8", SafeTensorsDType.I8, 1),
        ("F8_E5M2", SafeTensorsDType.F8E5M2, 1), ("F8_E4M3", SafeTensorsDType.F8E4M3, 1),
        ("I16", SafeTensorsDType.I16, 2), ("U16", SafeTensorsDType.U16, 2), ("F16", SafeTensorsDType.F16, 2),
        ("BF16", SafeTensorsDType.BF16, 2), ("I32", SafeTensorsDType.I32, 4), ("U32", SafeTensorsDType.U32, 4),
        ("F32", SafeTensorsDType.F32, 4), ("F64", SafeTensorsDType.F64, 8), ("I64", SafeTensorsDType.I64, 8),
        ("U64", SafeTensorsDType.U64, 8),
    ];

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(SafeTensorsDType dtype) => Table[(int)dtype].Size;

    /// <summary>The header spelling, e.g. <c>F8_E4M3</c>.</summary>
    public static string HeaderName(SafeTensorsDType dtype) => Table[(int)dtype].Name;

    /// <summary>True for the types <see cref="SafeTensorsFile.ReadTensor"/> converts to float32.</summary>
    public static bool IsReadableAsFloat(SafeTensorsDType dtype) =>
        dtype is SafeTensorsDType.F32 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 or SafeTensorsDType.F64;

    /// <summary>Parses a header spelling; false for names this reader does not know.</summary>
    public static bool TryParse(string name, out SafeTensorsDType dtype)
    {
        foreach (var entry in Table)
        {
            if (entry.Name != name) continue;
            dtype = entry.DType;
            return true;
        }
        dtype = default;
        return false;
    }
}
