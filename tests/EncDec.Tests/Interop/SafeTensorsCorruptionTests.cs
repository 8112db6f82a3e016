using System.Buffers.Binary;
using System.Text;
using EncDec.Interop;
using EncDec.Tensors;

namespace EncDec.Tests.Interop;

/// <summary>Every malformed file is an InvalidDataException that names the file and, where one is to blame, the tensor.</summary>
public sealed class SafeTensorsCorruptionTests : IDisposable
{
    private const string TwoTensors = "{\"first\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"second\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}}";

    private readonly SafeTensorsTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private InvalidDataException OpenFails(string path)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path).Dispose());
        Assert.Contains(path, error.Message);
        return error;
    }

    private InvalidDataException OpenFails(string json, byte[] data) => OpenFails(_files.Write("bad.safetensors", json, data));

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(40)]
    public void TruncatedInsideTheLengthOrHeader_IsRejected(int keep)
    {
        var whole = SafeTensorsTestFiles.Assemble(Encoding.UTF8.GetBytes(TwoTensors), new byte[20]);
        OpenFails(_files.WriteBytes($"cut{keep}.safetensors", whole[..keep]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(13)]
    [InlineData(19)]
    public void TruncatedInsideTheData_NamesTheTensorThatRunsPastTheEnd(int dataKept)
    {
        var whole = SafeTensorsTestFiles.Assemble(Encoding.UTF8.GetBytes(TwoTensors), new byte[20]);
        int cut = whole.Length - 20 + dataKept;
        var error = OpenFails(_files.WriteBytes("cut.safetensors", whole[..cut]));
        Assert.Contains(dataKept < 8 ? "'first'" : "'second'", error.Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFile_IsRejected()
    {
        var bytes = SafeTensorsTestFiles.Assemble(Encoding.UTF8.GetBytes(TwoTensors), new byte[20]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
        Assert.Contains("header length", OpenFails(_files.WriteBytes("long.safetensors", bytes)).Message);
    }

    [Fact]
    public void InvalidJson_IsRejected() =>
        Assert.Contains("JSON", OpenFails("{\"x\":{\"dtype\":\"F32\",", new byte[4]).Message);

    [Fact]
    public void InvalidUtf8_IsRejected()
    {
        var header = Encoding.UTF8.GetBytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        header[3] = 0xFF;   // inside the name "x"
        var path = _files.WriteBytes("utf8.safetensors", SafeTensorsTestFiles.Assemble(header, new byte[4]));
        Assert.Contains("UTF-8", OpenFails(path).Message);
    }

    [Fact]
    public void UnknownDtype_NamesTheTensor()
    {
        var error = OpenFails("{\"odd\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        Assert.Contains("'odd'", error.Message);
        Assert.Contains("F12", error.Message);
    }

    [Fact]
    public void ShapeTimesDtypeSizeDifferentFromTheRange_NamesTheTensor()
    {
        // Two F16 elements are 4 bytes, but the header claims 8 — as if the dtype were F32.
        var error = OpenFails("{\"half\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        Assert.Contains("'half'", error.Message);
        Assert.Contains("needs 4 bytes", error.Message);
    }

    [Fact]
    public void OffsetsPastTheBuffer_NameTheTensor() =>
        Assert.Contains("'second'", OpenFails(TwoTensors, new byte[16]).Message);

    [Fact]
    public void OverlappingOffsets_NameTheTensor()
    {
        const string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        var error = OpenFails(json, new byte[12]);
        Assert.Contains("'b'", error.Message);
        Assert.Contains("overlaps", error.Message);
    }

    [Fact]
    public void AHoleBetweenTensors_IsRejectedAsTheReferenceDoes()
    {
        const string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        var error = OpenFails(json, new byte[12]);
        Assert.Contains("'b'", error.Message);
        Assert.Contains("gap", error.Message);
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensor_AreRejected() =>
        Assert.Contains("cover 20", OpenFails(TwoTensors, new byte[24]).Message);

    [Fact]
    public void OffsetsEndingBeforeTheyBegin_NameTheTensor() =>
        Assert.Contains("'x'", OpenFails("{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", new byte[4]).Message);

    [Fact]
    public void DuplicateNames_AreRejected()
    {
        const string json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        var error = OpenFails(json, new byte[8]);
        Assert.Contains("'w'", error.Message);
        Assert.Contains("twice", error.Message);
    }

    [Theory]
    [InlineData("{\"x\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "dtype")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "shape")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", "data_offsets")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "shape")]
    public void MalformedEntryFields_NameTheTensorAndTheField(string json, string field)
    {
        var error = OpenFails(json, new byte[4]);
        Assert.Contains("'x'", error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void NonStringMetadata_IsRejected() =>
        Assert.Contains("metadata", OpenFails("{\"__metadata__\":{\"epoch\":3}}", []).Message);

    [Fact]
    public void Writer_RejectsDuplicateAndReservedNames()
    {
        string path = _files.PathOf("never.safetensors");
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [("w", Tensor.Ones(1)), ("w", Tensor.Ones(1))]));
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [("__metadata__", Tensor.Ones(1))]));
        Assert.False(File.Exists(path));
    }
}
