using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using EncDec.Tensors;

namespace EncDec.Interop;

/// <summary>
/// A safetensors file opened read-only through a memory map: the header is parsed and validated on
/// open (see <see cref="SafeTensorsHeader"/>), and tensor bytes are read from the map only when
/// asked for, so opening a multi-gigabyte checkpoint copies nothing. Layout: an 8-byte
/// little-endian header length N, N bytes of UTF-8 JSON, then the data buffer.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>The reference refuses headers above 100 MB; so do we, before allocating them.</summary>
    private const long MaxHeaderLength = 100_000_000;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorsEntry> _byName;
    private bool _disposed;

    private SafeTensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataStart,
        List<SafeTensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _map = map;
        _view = view;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name);
    }

    /// <summary>The file this was opened from.</summary>
    public string Path { get; }

    /// <summary>Every tensor's header record, in header order.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> strings (empty when the header has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Maps <paramref name="path"/> and validates its header; throws <see cref="InvalidDataException"/> on a malformed file.</summary>
    public static SafeTensorsFile Open(string path)
    {
        long fileLength = new FileInfo(path).Length;
        // An empty file cannot be mapped; every file shorter than the length prefix is malformed anyway.
        if (fileLength < 8) throw SafeTensorsHeader.Invalid(path, $"{fileLength} bytes is too short for the 8-byte header length");
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            Span<byte> prefix = stackalloc byte[8];
            ReadBytes(view, 0, prefix);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(fileLength - 8))
                throw SafeTensorsHeader.Invalid(path, $"header length {headerLength} runs past the end of the {fileLength}-byte file");
            if (headerLength > MaxHeaderLength)
                throw SafeTensorsHeader.Invalid(path, $"header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
            var header = new byte[headerLength];
            ReadBytes(view, 8, header);
            long dataStart = 8 + (long)headerLength;
            var (entries, metadata) = SafeTensorsHeader.Parse(header, fileLength - dataStart, path);
            return new SafeTensorsFile(path, map, view, dataStart, entries, metadata);
        }
        catch
        {
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>True when the file holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header record of <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming the file when absent.</summary>
    public SafeTensorsEntry GetEntry(string name) =>
        _byName.TryGetValue(name, out var entry) ? entry
            : throw new KeyNotFoundException($"safetensors file '{Path}' has no tensor '{name}'");

    /// <summary>A new float32 tensor of the entry's shape; F16, BF16 and F64 are converted.</summary>
    public Tensor ReadTensor(string name)
    {
        var entry = GetEntry(name);
        CheckReadable(entry);
        var tensor = Tensor.Zeros(entry.Shape.ToArray());
        ReadInto(entry, tensor.AsSpan());
        return tensor;
    }

    /// <summary>Converts <paramref name="entry"/>'s elements into <paramref name="destination"/> (length = element count).</summary>
    internal void ReadInto(SafeTensorsEntry entry, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckReadable(entry);
        if (destination.Length != entry.ElementCount)
            throw new ArgumentException($"tensor '{entry.Name}' has {entry.ElementCount} elements, destination {destination.Length}");
        long at = _dataStart + entry.Begin;
        switch (entry.DType)
        {
            case SafeTensorsDType.F32:
                ReadBytes(_view, at, MemoryMarshal.AsBytes(destination));
                if (!BitConverter.IsLittleEndian) SwapFloats(destination);
                break;
            case SafeTensorsDType.F16:
                ReadConverted(at, destination, bits => (float)BitConverter.UInt16BitsToHalf(bits));
                break;
            case SafeTensorsDType.BF16:
                // bfloat16 is the top half of a float32: shift its bits into place, low mantissa zero.
                ReadConverted(at, destination, bits => BitConverter.Int32BitsToSingle(bits << 16));
                break;
            case SafeTensorsDType.F64:
                var doubles = new long[destination.Length];   // raw little-endian bits
                ReadBytes(_view, at, MemoryMarshal.AsBytes(doubles.AsSpan()));
                if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(doubles, doubles);
                for (int i = 0; i < doubles.Length; i++) destination[i] = (float)BitConverter.Int64BitsToDouble(doubles[i]);
                break;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.Dispose();
        _map.Dispose();
    }

    private void CheckReadable(SafeTensorsEntry entry)
    {
        if (!SafeTensorsDTypes.IsReadableAsFloat(entry.DType))
            throw new NotSupportedException(
                $"safetensors file '{Path}': tensor '{entry.Name}' is {SafeTensorsDTypes.HeaderName(entry.DType)}, which does not convert to float32");
        if (entry.ElementCount > int.MaxValue)
            throw new NotSupportedException($"safetensors file '{Path}': tensor '{entry.Name}' has more than {int.MaxValue} elements");
    }

    /// <summary>Reads 16-bit little-endian words and converts each with <paramref name="convert"/>.</summary>
    private void ReadConverted(long at, Span<float> destination, Func<ushort, float> convert)
    {
        // The 16-bit words go into the back half of the destination's own bytes, then expand forward
        // in place: word i sits at byte 2·(n + i), is read before float i (bytes 4i..4i+3) is written.
        var bytes = MemoryMarshal.AsBytes(destination);
        var words = bytes[(bytes.Length / 2)..];
        ReadBytes(_view, at, words);
        for (int i = 0; i < destination.Length; i++)
            destination[i] = convert(BinaryPrimitives.ReadUInt16LittleEndian(words.Slice(2 * i, 2)));
    }

    private static void SwapFloats(Span<float> values)
    {
        var bits = MemoryMarshal.Cast<float, int>(values);
        BinaryPrimitives.ReverseEndianness(bits, bits);
    }

    private static void ReadBytes(MemoryMappedViewAccessor view, long position, Span<byte> destination) =>
        view.SafeMemoryMappedViewHandle.ReadSpan((ulong)(view.PointerOffset + position), destination);
}
