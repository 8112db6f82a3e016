using EncDec.Data;

namespace EncDec.Tests.Data;

/// <summary><see cref="AtomicFile"/>: the destination appears whole or not at all, no temporary file stays behind, and
/// an error names the destination, not the hidden temporary file.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly CorpusFiles files = new();

    public void Dispose() => files.Dispose();

    private static int FilesBeside(string path) => Directory.GetFiles(Path.GetDirectoryName(path)!).Length;

    [Fact]
    public void Text_IsUtf8WithoutBom_WithNewlineLineEnds_AndReplacesTheOldFile()
    {
        string path = files.Write("a.txt", "old");
        AtomicFile.WriteText(path, writer => { writer.WriteLine("é"); writer.WriteLine("b"); });
        Assert.Equal("é\nb\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(1, FilesBeside(path));
    }

    [Fact]
    public void AFailedWrite_LeavesTheOldFile_AndNoTemporaryFile()
    {
        string path = files.PathOf("b.bin");
        AtomicFile.WriteBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write([9, 9]);
            throw new InvalidOperationException("half way");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(1, FilesBeside(path));
    }

    [Fact]
    public void AMissingFolder_IsNamedWithTheDestination()
    {
        string folder = files.PathOf("missing");
        string path = Path.Combine(folder, "c.txt");
        var error = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteText(path, "x"));
        Assert.Equal($"cannot write '{path}': the folder '{folder}' does not exist", error.Message);
    }
}
