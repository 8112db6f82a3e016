using EncDec.Interop;
using EncDec.Tensors;

namespace EncDec.Tests.Interop;

public sealed class SafeTensorsAtomicWriteTests : IDisposable
{
    private readonly SafeTensorsTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static IEnumerable<(string, Tensor)> ThrowsAfterOne()
    {
        yield return ("ok", Tensor.Ones(4));
        throw new IOException("disk on fire");
    }

    [Fact]
    public void ASuccessfulWrite_LeavesOnlyTheTargetFile()
    {
        string path = _files.PathOf("model.safetensors");
        SafeTensorsWriter.Write(path, [("w", Tensor.Ones(3))]);
        SafeTensorsWriter.Write(path, [("w", Tensor.Full(2f, 3))]);   // overwrite

        Assert.Equal([path], Directory.GetFiles(_files.Folder));
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal([2f, 2f, 2f], file.ReadTensor("w").ToArray());
    }

    [Fact]
    public void AWriteThatFailsMidway_KeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        string path = _files.PathOf("model.safetensors");
        SafeTensorsWriter.Write(path, [("old", Tensor.Full(7f, 2))]);
        var before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => SafeTensorsWriter.Write(path, ThrowsAfterOne()));

        Assert.Equal([path], Directory.GetFiles(_files.Folder));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void AFailureAfterTheTemporaryFileIsWritten_DeletesIt()
    {
        // The final move cannot replace a directory, so the temporary file exists and must be cleaned up.
        string path = _files.PathOf("occupied");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<IOException>(() => SafeTensorsWriter.Write(path, [("w", Tensor.Ones(2))]));

        Assert.Empty(Directory.GetFiles(_files.Folder));
        Assert.Empty(Directory.GetFiles(path));
    }
}
