using System.Buffers.Binary;
using System.Text;

namespace EncDec.Tests.Interop;

/// <summary>A temporary folder for one test class, and raw safetensors files assembled byte by byte.</summary>
public sealed class SafeTensorsTestFiles : IDisposable
{
    /// <summary>The folder every file of this instance lives in.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("encdec-safetensors-").FullName;

    /// <summary>A path inside <see cref="Folder"/>.</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>8-byte little-endian header length, the header bytes, then the data buffer, as the format describes.</summary>
    public static byte[] Assemble(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>Writes a file with a UTF-8 JSON header and returns its path.</summary>
    public string Write(string name, string json, byte[] data) => WriteBytes(name, Assemble(Encoding.UTF8.GetBytes(json), data));

    /// <summary>Writes raw bytes and returns the path.</summary>
    public string WriteBytes(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Little-endian bytes of float32 values.</summary>
    public static byte[] FloatBytes(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
