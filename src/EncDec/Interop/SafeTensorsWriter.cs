using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using EncDec.Data;
using EncDec.Tensors;

namespace EncDec.Interop;

/// <summary>
/// Writes float32 safetensors files laid out as the Hugging Face reference writes them: metadata
/// first in the header, tensors packed back to back in the given order, and the JSON padded with
/// spaces so the data buffer starts on an 8-byte boundary. Writing is atomic: bytes go to a
/// temporary file in the same folder, which is flushed to disk and then moved over
/// <c>path</c>, so a failure leaves any previous file untouched and no temporary file behind.
/// </summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (any shapes, contiguous or not) and optional string metadata.</summary>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        // Enumerated once, up front: the header needs every shape before the first data byte.
        var items = tensors.ToList();
        CheckNames(items);
        byte[] header = BuildHeader(items, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var (_, tensor) in items) WriteData(stream, tensor);
        });
    }

    /// <summary>The JSON header, space-padded to a multiple of 8 bytes.</summary>
    internal static byte[] BuildHeader(IReadOnlyList<(string Name, Tensor Tensor)> items, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in items)
            {
                long length = (long)tensor.Count * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += length;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static void CheckNames(List<(string Name, Tensor Tensor)> items)
    {
        var seen = new HashSet<string>();
        foreach (var (name, _) in items)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("safetensors: a tensor name must not be empty");
            if (name == SafeTensorsHeader.MetadataKey) throw new ArgumentException($"safetensors: '{name}' is reserved for metadata");
            if (!seen.Add(name)) throw new ArgumentException($"safetensors: tensor '{name}' is given twice");
        }
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        // Dense row-major, as the format requires; a contiguous tensor is written straight from its storage.
        ReadOnlySpan<float> values = tensor.IsContiguous ? tensor.AsSpan() : tensor.ToArray();
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        var swapped = MemoryMarshal.Cast<float, int>(values).ToArray();
        BinaryPrimitives.ReverseEndianness(swapped, swapped);
        stream.Write(MemoryMarshal.AsBytes(swapped.AsSpan()));
    }
}
