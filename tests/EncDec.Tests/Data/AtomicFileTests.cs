using System.Text;
using EncDec.Data;

namespace EncDec.Tests.Data;

/// <summary><see cref="AtomicFile"/>: the destination appears whole or not at all, no temporary file stays behind, and
/// an error names the destination, not the hidden temporary file.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Text_IsUtf8WithoutBom_WithNewlineLineEnds_AndReplacesTheOldFile()
    {
        string path = Path.Combine(_folder, "a.txt");
        File.WriteAllText(path, "old");
        AtomicFile.WriteText(path, writer => { writer.WriteLine("é"); writer.WriteLine("b"); });
        Assert.Equal("é\nb\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void AFailedWrite_LeavesTheOldFile_AndNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "b.bin");
        AtomicFile.WriteBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write([9, 9]);
            throw new InvalidOperationException("half way");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void AMissingFolder_IsNamedWithTheDestination()
    {
        string folder = Path.Combine(_folder, "missing");
        string path = Path.Combine(folder, "c.txt");
        var error = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteText(path, "x"));
        Assert.Equal($"cannot write '{path}': the folder '{folder}' does not exist", error.Message);
    }
}
