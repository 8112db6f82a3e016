namespace EncDec.Interop.CTranslate2;

/// <summary>
/// A CTranslate2 <c>model.bin</c>, read whole. Layout (little-endian; a string is a uint16 length counting a final
/// NUL, then UTF-8 and the NUL): uint32 binary version; from version 2 the spec name (string) and uint32 spec
/// revision; uint32 variable count; per variable its name (string), uint8 rank, rank × uint32 dimensions, then
/// from version 4 a uint8 <see cref="CTranslate2DataType"/> id and uint32 byte count, before version 4 a uint8
/// item size and uint32 element count; then the bytes. From version 3: uint32 alias count and (alias, target)
/// string pairs. Vocabularies and <c>config.json</c> are separate files of the model folder.
/// </summary>
/// <example><code>
/// var file = CTranslate2ModelFile.Read("aren-transliteration/model.bin");
/// Console.WriteLine($"{file.SpecName} v{file.BinaryVersion}: {file.Variables.Count} variables");
/// float[] embeddings = file.Get("encoder/embeddings/weight").ToFloats();
/// </code></example>
public sealed class CTranslate2ModelFile
{
    /// <summary>Oldest binary version read: version 1 used OpenNMT-tf's variable names and no spec name.</summary>
    public const int MinimumVersion = 2;

    /// <summary>Newest binary version read (CTranslate2 4.x writes 6).</summary>
    public const int MaximumVersion = 6;

    private readonly Dictionary<string, CTranslate2Variable> _byName;

    private CTranslate2ModelFile(string path, int version, string specName, int revision,
        List<CTranslate2Variable> variables, Dictionary<string, string> aliases)
    {
        Path = path;
        BinaryVersion = version;
        SpecName = specName;
        SpecRevision = revision;
        Variables = variables;
        Aliases = aliases;
        _byName = variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
    }

    /// <summary>The file this was read from.</summary>
    public string Path { get; }

    /// <summary>The binary format version (2 to 6).</summary>
    public int BinaryVersion { get; }

    /// <summary>The model specification, e.g. <c>TransformerBase</c> or <c>TransformerSpec</c>.</summary>
    public string SpecName { get; }

    /// <summary>The revision of the specification's variable layout.</summary>
    public int SpecRevision { get; }

    /// <summary>The stored variables, in file order.</summary>
    public IReadOnlyList<CTranslate2Variable> Variables { get; }

    /// <summary>Alias → the stored variable it stands for (a tied weight is stored once).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    /// <summary>The variable called <paramref name="name"/> (directly or through an alias), or null.</summary>
    public CTranslate2Variable? Find(string name) =>
        _byName.TryGetValue(name, out var variable) ? variable
        : Aliases.TryGetValue(name, out var target) ? _byName[target]
        : null;

    /// <summary>The variable called <paramref name="name"/> (directly or through an alias).</summary>
    /// <exception cref="InvalidDataException">There is none; the message names the file.</exception>
    public CTranslate2Variable Get(string name) =>
        Find(name) ?? throw new InvalidDataException($"CTranslate2 model '{Path}' has no variable '{name}'");

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">An unsupported version or data type, a truncated file, or a malformed field;
    /// the message names the file, the byte offset and the variable.</exception>
    public static CTranslate2ModelFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var cursor = new CTranslate2BinaryCursor(stream, path);
        long start = cursor.Position;
        uint version = cursor.ReadUInt32("binary version");
        if (version is < MinimumVersion or > MaximumVersion)
            throw cursor.Invalid(start, $"binary version {version} is not supported (this reader reads versions {MinimumVersion} to {MaximumVersion})");
        string specName = cursor.ReadString("spec name");
        uint revision = cursor.ReadUInt32("spec revision");
        start = cursor.Position;
        uint count = cursor.ReadUInt32("variable count");
        // Each variable takes at least 8 bytes (name, rank, type, size), which bounds a corrupt count before allocating.
        if (count > (cursor.Length - cursor.Position) / 8)
            throw cursor.Invalid(start, $"variable count {count} cannot fit in the remaining {cursor.Length - cursor.Position} bytes");
        var variables = new List<CTranslate2Variable>((int)count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            cursor.Context = $"variable {i + 1} of {count}";
            var variable = ReadVariable(cursor, (int)version);
            if (!seen.Add(variable.Name)) throw cursor.Invalid(variable.Offset, $"variable '{variable.Name}' appears twice");
            variables.Add(variable);
        }
        cursor.Context = null;
        var aliases = version >= 3 ? ReadAliases(cursor, seen) : [];
        if (cursor.Position != cursor.Length)
            throw cursor.Invalid(cursor.Position, $"{cursor.Length - cursor.Position} unexpected bytes after the last {(version >= 3 ? "alias" : "variable")}");
        return new CTranslate2ModelFile(path, (int)version, specName, (int)revision, variables, aliases);
    }

    private static CTranslate2Variable ReadVariable(CTranslate2BinaryCursor cursor, int version)
    {
        string name = cursor.ReadString("name");
        cursor.Context += $" ('{name}')";
        int rank = cursor.ReadByte("rank");
        var shape = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++)
        {
            long at = cursor.Position;
            uint dim = cursor.ReadUInt32($"dimension {d}");
            elements *= dim;
            if (dim > int.MaxValue || elements > int.MaxValue)
                throw cursor.Invalid(at, $"dimension {d} = {dim} makes more than {int.MaxValue} elements");
            shape[d] = (int)dim;
        }
        var (type, byteCount) = ReadTypeAndSize(cursor, version, elements);
        long offset = cursor.Position;
        return new CTranslate2Variable(name, shape, type, offset, cursor.ReadExactly(byteCount, "data"));
    }

    /// <summary>The element type and the byte count, checked against the shape.</summary>
    private static (CTranslate2DataType Type, long Bytes) ReadTypeAndSize(CTranslate2BinaryCursor cursor, int version, long elements)
    {
        long at = cursor.Position;
        byte code = cursor.ReadByte(version >= 4 ? "data type" : "item size");
        CTranslate2DataType type;
        if (version >= 4)
        {
            if (!CTranslate2DataTypes.IsDefined(code))
                throw cursor.Invalid(at, $"data type id {code} is not supported (known: 0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16)");
            type = (CTranslate2DataType)code;
        }
        else
        {
            type = CTranslate2DataTypes.FromItemSize(code)
                ?? throw cursor.Invalid(at, $"item size {code} is not supported (known: 4 float32, 2 int16, 1 int8)");
        }
        long sizeAt = cursor.Position;
        uint stored = cursor.ReadUInt32(version >= 4 ? "byte count" : "element count");
        long bytes = version >= 4 ? stored : (long)stored * code;
        long expected = elements * CTranslate2DataTypes.ItemSize(type);
        if (bytes != expected)
            throw cursor.Invalid(sizeAt, $"{bytes} data bytes do not match the shape: {elements} elements of {type} take {expected}");
        return (type, bytes);
    }

    private static Dictionary<string, string> ReadAliases(CTranslate2BinaryCursor cursor, HashSet<string> names)
    {
        long start = cursor.Position;
        uint count = cursor.ReadUInt32("alias count");
        if (count > (cursor.Length - cursor.Position) / 4)
            throw cursor.Invalid(start, $"alias count {count} cannot fit in the remaining {cursor.Length - cursor.Position} bytes");
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            cursor.Context = $"alias {i + 1} of {count}";
            long at = cursor.Position;
            string alias = cursor.ReadString("alias name");
            string target = cursor.ReadString("alias target");
            if (!names.Contains(target)) throw cursor.Invalid(at, $"alias '{alias}' points to '{target}', which is not a stored variable");
            if (names.Contains(alias) || !aliases.TryAdd(alias, target))
                throw cursor.Invalid(at, $"alias '{alias}' is defined twice");
        }
        cursor.Context = null;
        return aliases;
    }
}
