using System.Text;

namespace EncDec.Data;

/// <summary>
/// Whole-file writes that a reader never sees half done: the content goes to a temporary file in the same folder,
/// which then replaces the destination in one rename, so a failed write leaves any previous file as it was.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes UTF-8 text (no byte-order mark) produced by <paramref name="write"/> to <paramref name="path"/>.</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream, Utf8NoBom))
            {
                writer.NewLine = "\n";   // line-aligned corpora must not depend on the platform
                write(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>.</summary>
    public static void WriteText(string path, string text) => WriteText(path, writer => writer.Write(text));
}
