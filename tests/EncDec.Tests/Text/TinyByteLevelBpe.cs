using System.Text;
using System.Text.Json.Nodes;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// A hand-made byte-level BPE model whose ids can be worked out on paper: ids 0..255 are the 256 byte characters in
/// byte order (so 'l' is 108 and "Ġ", the space, is 32), and the token made by merge k has id 256 + k. Written to a
/// temporary folder as <c>vocab.json</c> + <c>merges.txt</c> or as <c>tokenizer.json</c>; deleted on dispose.
/// </summary>
internal sealed class TinyByteLevelBpe : IDisposable
{
    /// <summary>Merges in rank order. "e r" (rank 4) outranks "w e" (rank 9), so "wer" is "w" + "er".</summary>
    public static readonly string[] Merges =
    [
        "Ġ l",      // 256 Ġl
        "o w",      // 257 ow
        "l ow",     // 258 low
        "Ġl ow",    // 259 Ġlow
        "e r",      // 260 er
        "Ġlow er",  // 261 Ġlower
        "Ġ n",      // 262 Ġn
        "e w",      // 263 ew
        "Ġn ew",    // 264 Ġnew
        "w e",      // 265 we
        "x Ġ",      // 266 xĠ, which only text not cut into words (use_regex false) can reach
    ];

    public TinyByteLevelBpe() => Directory.CreateDirectory(Folder);

    /// <summary>The temporary folder holding the files.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"encdec-bpe-{Guid.NewGuid():N}");

    /// <summary>The vocabulary: byte characters, then the merged tokens.</summary>
    public static JsonObject Vocabulary()
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++) vocab[ByteToUnicode.ToChar((byte)b).ToString()] = b;
        for (int k = 0; k < Merges.Length; k++) vocab[Merges[k].Replace(" ", "")] = 256 + k;
        return vocab;
    }

    /// <summary>An added token as <c>tokenizer.json</c> writes it.</summary>
    public static JsonObject Added(int id, string content, bool special = true, bool lstrip = false, bool rstrip = false,
        bool singleWord = false, bool normalized = false) => new()
    {
        ["id"] = id, ["content"] = content, ["single_word"] = singleWord, ["lstrip"] = lstrip, ["rstrip"] = rstrip,
        ["normalized"] = normalized, ["special"] = special,
    };

    /// <summary>A <c>tokenizer.json</c> document in the form Hugging Face writes, with merges as "a b" strings or
    /// as ["a", "b"] pairs.</summary>
    public static JsonObject TokenizerJson(bool mergesAsPairs = false, bool addPrefixSpace = false, params JsonObject[] added)
    {
        var merges = new JsonArray();
        foreach (string merge in Merges)
            merges.Add(mergesAsPairs ? new JsonArray(merge.Split(' ').Select(p => (JsonNode)p!).ToArray()) : merge);
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray([.. added.Select(token => token.DeepClone())]),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = addPrefixSpace, ["trim_offsets"] = true, ["use_regex"] = true },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["vocab"] = Vocabulary(), ["merges"] = merges,
            },
        };
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 to <paramref name="name"/> in the folder; returns the path.</summary>
    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the folder; returns the path.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes <c>tokenizer.json</c> and loads it.</summary>
    public ByteLevelBpeTokenizer Load(JsonObject tokenizerJson) =>
        ByteLevelBpeTokenizer.Load(Write("tokenizer.json", tokenizerJson.ToJsonString()));

    /// <summary>Writes <c>vocab.json</c> and <c>merges.txt</c> (with GPT-2's "#version: 0.2" first line) and loads them.</summary>
    public ByteLevelBpeTokenizer LoadVocabAndMerges(IReadOnlyList<string>? specialTokens = null)
    {
        string vocab = Write("vocab.json", Vocabulary().ToJsonString());
        string merges = Write("merges.txt", "#version: 0.2\n" + string.Join("\n", Merges) + "\n");
        return ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges, specialTokens);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
