using System.IO.Compression;
using System.Text;

namespace EncDec.Tests.Data;

/// <summary>A temporary folder of corpus files for one test, deleted on dispose.</summary>
internal sealed class CorpusFiles : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("encdec-data-").FullName;

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/>, gzip-compressed when asked; returns the path.</summary>
    public string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(folder, name);
        using var file = File.Create(path);
        if (gzip)
        {
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes);
        }
        else
        {
            file.Write(bytes);
        }
        return path;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte order mark).</summary>
    public string Write(string name, string text, bool gzip = false) => Write(name, Encoding.UTF8.GetBytes(text), gzip);

    /// <summary>A path in the folder, for a test that writes the file itself.</summary>
    public string PathOf(string name) => Path.Combine(folder, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A reader a failed test left open on Windows; the temp folder is cleaned by the OS.
        }
    }
}
