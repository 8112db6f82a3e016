using System.IO.Compression;
using System.Text;
using EncDec.Tensors;

namespace EncDec.Tests.Text.Training;

/// <summary>A temporary folder for training inputs and models, deleted on dispose, and small corpora to train on.</summary>
internal sealed class TrainingFiles : IDisposable
{
    /// <summary>The words of <see cref="SyntheticLines"/>: a small English-like vocabulary with shared stems and endings.</summary>
    private static readonly string[] Words =
    [
        "a", "the", "dog", "dogs", "runs", "running", "runner", "man", "men", "woman", "women", "plays", "playing",
        "player", "ball", "balls", "in", "on", "park", "parks", "street", "streets", "red", "blue", "shirt", "shirts",
        "walks", "walking", "walker", "child", "children", "sits", "sitting", "bench", "benches", "water", "near",
    ];

    /// <summary>The folder.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("encdec-vocab-").FullName;

    /// <summary>The full path of <paramref name="name"/> in the folder.</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Writes <paramref name="lines"/>, each ended by '\n', as UTF-8 (gzip-compressed when asked); returns the path.</summary>
    public string Write(string name, IEnumerable<string> lines, bool gzip = false)
    {
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        return WriteBytes(name, gzip ? Gzip(text) : text);
    }

    /// <summary>Writes raw bytes; returns the path.</summary>
    public string WriteBytes(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// <paramref name="count"/> sentences of 3 to 10 words from a fixed word list, drawn by a seeded generator: the
    /// same lines on every run, with enough shared substrings for subword training.
    /// </summary>
    public static IEnumerable<string> SyntheticLines(int count, ulong seed = 7)
    {
        var random = new RandomGenerator(seed);
        for (int i = 0; i < count; i++)
        {
            int length = 3 + random.NextInt(8);
            var words = Enumerable.Range(0, length).Select(_ => Words[random.NextInt(Words.Length)]);
            string line = string.Join(' ', words);
            yield return char.ToUpperInvariant(line[0]) + line[1..] + ".";
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest)) gzip.Write(bytes);
        return memory.ToArray();
    }
}
