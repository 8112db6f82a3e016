using System.Buffers.Binary;
using System.Text;
using EncDec.Interop;
using EncDec.Tensors;

namespace EncDec.Tests.Interop;

public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly SafeTensorsTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void WriteThenRead_GivesBackEveryFloatBitForBit_WithNamesShapesAndMetadata()
    {
        float[] awkward = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC01234), 1f / 3f, 1e-40f, -2.5f];
        var rng = new Random(7);
        var random = Enumerable.Range(0, 5 * 7).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        (string, Tensor)[] tensors =
        [
            ("encoder.weight", Tensor.FromArray(random, 5, 7)),
            ("special", Tensor.FromArray(awkward, 2, 3, 2)),
            ("scalar", Tensor.Scalar(42.5f)),
            ("empty", Tensor.Zeros(0, 3)),
        ];
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" };
        string path = _files.PathOf("model.safetensors");

        SafeTensorsWriter.Write(path, tensors, metadata);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(["encoder.weight", "special", "scalar", "empty"], file.Entries.Select(e => e.Name));
        Assert.Equal(metadata, file.Metadata);
        foreach (var (name, expected) in tensors)
        {
            var actual = file.ReadTensor(name);
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            Assert.Equal(expected.ToArray().Select(BitConverter.SingleToInt32Bits), actual.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Writer_PacksTensorsInOrder_AndPadsTheHeaderWithSpacesToAMultipleOf8()
    {
        string path = _files.PathOf("padded.safetensors");
        SafeTensorsWriter.Write(path, [("b", Tensor.Ones(3)), ("a", Tensor.Zeros(2, 2))]);

        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal("{\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[12,28]}}", header.TrimEnd(' '));
        Assert.All(header[header.TrimEnd(' ').Length..], c => Assert.Equal(' ', c));
        Assert.Equal(8 + headerLength + 28, bytes.Length);
    }

    [Fact]
    public void Writer_StoresANonContiguousTensorInRowMajorOrder()
    {
        var matrix = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        string path = _files.PathOf("transposed.safetensors");
        SafeTensorsWriter.Write(path, [("t", EncDec.Operations.TensorOps.Transpose(matrix))]);

        using var file = SafeTensorsFile.Open(path);
        var read = file.ReadTensor("t");
        Assert.Equal([3, 2], read.Shape.ToArray());
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], read.ToArray());
    }

    [Fact]
    public void Reader_AcceptsAFileBuiltByteByByteAsTheFormatDescribes()
    {
        // Golden layout: u64 LE header size, JSON header (metadata, two tensors), space padding, raw LE data.
        const string json = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}";
        var header = Encoding.UTF8.GetBytes(json + new string(' ', (8 - json.Length % 8) % 8));
        var data = SafeTensorsTestFiles.FloatBytes(1f, -2f, 0.5f, 3.25f, 7f);
        var bytes = SafeTensorsTestFiles.Assemble(header, data);
        Assert.Equal((ulong)header.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes));

        using var file = SafeTensorsFile.Open(_files.WriteBytes("golden.safetensors", bytes));

        Assert.Equal("pt", file.Metadata["format"]);
        var w = file.GetEntry("w");
        Assert.Equal((SafeTensorsDType.F32, 0L, 16L), (w.DType, w.Begin, w.End));
        Assert.Equal([2, 2], w.Shape);
        Assert.Equal([1f, -2f, 0.5f, 3.25f], file.ReadTensor("w").ToArray());
        Assert.Equal([7f], file.ReadTensor("b").ToArray());
    }

    [Fact]
    public void Reader_DecodesF16_ThroughSystemHalf()
    {
        float[] values = [0f, -0f, 1f, -2.5f, 65504f, 0.333251953125f, 5.9604645e-8f /* smallest subnormal */, float.NegativeInfinity];
        var data = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), BitConverter.HalfToUInt16Bits((Half)values[i]));
        string path = _files.Write("half.safetensors",
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}", data);

        using var file = SafeTensorsFile.Open(path);
        var read = file.ReadTensor("h");

        Assert.Equal([2, 4], read.Shape.ToArray());
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), read.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Reader_DecodesBF16_AsTheHighHalfOfAFloat()
    {
        // Each value is exactly representable in bfloat16 (7 mantissa bits), so truncation is exact.
        float[] values = [1f, -1.5f, 3.140625f, 1e-38f, -0f, float.PositiveInfinity, 0.0078125f];
        var data = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), (ushort)(BitConverter.SingleToUInt32Bits(values[i]) >> 16));
        string path = _files.Write("bf16.safetensors",
            "{\"x\":{\"dtype\":\"BF16\",\"shape\":[7],\"data_offsets\":[0,14]}}", data);

        using var file = SafeTensorsFile.Open(path);

        Assert.Equal(values.Select(v => BitConverter.SingleToUInt32Bits(v) & 0xFFFF0000u),
            file.ReadTensor("x").ToArray().Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void Reader_RefusesToConvertIntegerTensors_NamingThem()
    {
        string path = _files.Write("ints.safetensors",
            "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);
        using var file = SafeTensorsFile.Open(path);

        Assert.Equal(SafeTensorsDType.I64, file.GetEntry("ids").DType);
        var error = Assert.Throws<NotSupportedException>(() => file.ReadTensor("ids"));
        Assert.Contains("'ids'", error.Message);
    }
}
