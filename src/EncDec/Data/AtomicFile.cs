using System.Text;

namespace EncDec.Data;

/// <summary>
/// Whole-file writes that a reader never sees half done: the content goes to a hidden temporary file in the same
/// folder, is flushed to disk, and then replaces the destination in one rename, so a failed write leaves any previous
/// file as it was. Every file the toolkit writes whole (models, configs, vocabularies, corpora, logs) goes through here.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the bytes <paramref name="write"/> puts on the stream to <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The destination's folder does not exist (the message names both).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written (the message names the destination).</exception>
    /// <exception cref="IOException">The file cannot be created or written (the message names the destination).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = Create(temporary, full, folder))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Writes UTF-8 text (no byte-order mark, '\n' line ends) produced by <paramref name="write"/> to
    /// <paramref name="path"/>.</summary>
    public static void WriteText(string path, Action<TextWriter> write) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8NoBom, leaveOpen: true);
        writer.NewLine = "\n";   // line-aligned corpora and logs must not depend on the platform
        write(writer);
    });

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>.</summary>
    public static void WriteText(string path, string text) => WriteText(path, writer => writer.Write(text));

    // The temporary file's own name would only confuse: errors name the destination.
    private static FileStream Create(string temporary, string destination, string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"cannot write '{destination}': the folder '{folder}' does not exist");
        try
        {
            return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"cannot write '{destination}': access to the folder '{folder}' is denied", e);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write '{destination}': {e.Message.Replace(temporary, destination)}", e);
        }
    }
}
