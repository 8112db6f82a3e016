using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace EncDec.Text;

/// <summary>
/// A byte-level BPE tokenizer (GPT-2, RoBERTa, BART, Whisper) read from a Hugging Face <c>tokenizer.json</c> or from
/// <c>vocab.json</c> + <c>merges.txt</c>, giving the ids of Hugging Face tokenizers' <c>encode(text,
/// add_special_tokens=False)</c>.
/// </summary>
/// <example><code>
/// var whisper = ByteLevelBpeTokenizer.Load("whisper-tiny/tokenizer.json");
/// int[] ids = whisper.Encode("Hello world");           // [15947, 1002]
/// string text = whisper.Decode(ids);                  // "Hello world"
/// int eot = whisper.PieceToId("&lt;|endoftext|&gt;");       // 50257
/// </code></example>
/// <remarks>
/// Encoding: added tokens are cut out of the text first (<see cref="AddedVocabulary"/>); each stretch between them
/// gets a leading space if <c>add_prefix_space</c> asks for one, is cut into words by <see cref="Gpt2PreTokenizer"/>
/// (unless <c>use_regex</c> is false), and each word's UTF-8 bytes, written with <see cref="ByteToUnicode"/>, are
/// merged by rank (<see cref="BpeMerges"/>). Words are cached. Decoding maps ids to tokens, tokens to bytes and bytes
/// to text (malformed UTF-8 becomes U+FFFD, as Rust's <c>from_utf8_lossy</c> does). Instances are safe to share
/// between threads.
/// </remarks>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    private const int CacheCapacity = 100_000;
    private const int LongestCachedWord = 256;      // bytes; a longer "word" (a run of symbols) is rare and big
    private const int LargestId = (1 << 24) - 1;    // far past any real vocabulary; guards the id arrays

    private readonly IReadOnlyDictionary<string, int> modelVocabulary;
    private readonly Dictionary<string, int> tokenToId;
    private readonly string?[] idToToken;
    private readonly bool[] isSpecial;
    private readonly int[] byteIds;          // byte -> id of its one-character token, or -1
    private readonly BpeMerges merges;
    private readonly AddedVocabulary addedVocabulary;
    private readonly bool addPrefixSpace;
    private readonly bool useRegex;
    private readonly bool fuseUnknown;
    private readonly bool ignoreMerges;
    private readonly ConcurrentDictionary<string, int[]> cache = new(StringComparer.Ordinal);

    private ByteLevelBpeTokenizer(ByteLevelBpeDefinition definition)
    {
        var vocabulary = modelVocabulary = definition.Vocabulary;
        merges = new BpeMerges(vocabulary, definition.Merges, definition.Source);
        AddedTokens = definition.AddedTokens;
        addedVocabulary = new AddedVocabulary(AddedTokens);
        (addPrefixSpace, useRegex) = (definition.AddPrefixSpace, definition.UseRegex);
        (fuseUnknown, ignoreMerges) = (definition.FuseUnknown, definition.IgnoreMerges);

        tokenToId = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        foreach (var token in AddedTokens) tokenToId[token.Content] = token.Id;
        int largestId = tokenToId.Count == 0 ? -1 : tokenToId.Values.Max();
        if (largestId > LargestId)
            throw new InvalidDataException($"'{definition.Source}': id {largestId} is implausibly large (more than {LargestId})");
        VocabularySize = largestId + 1;
        idToToken = new string?[VocabularySize];
        isSpecial = new bool[VocabularySize];
        foreach (var (token, id) in vocabulary) idToToken[id] = token;
        foreach (var token in AddedTokens)
        {
            if (idToToken[token.Id] is { } other && other != token.Content)
                throw new InvalidDataException(
                    $"'{definition.Source}': added token \"{token.Content}\" has id {token.Id}, which the vocabulary gives to \"{other}\"");
            idToToken[token.Id] = token.Content;
            isSpecial[token.Id] = token.Special;
        }

        UnknownId = definition.UnknownToken is not { } unknown ? -1
            : vocabulary.TryGetValue(unknown, out int unknownId) ? unknownId
            : throw new InvalidDataException($"'{definition.Source}': unk_token \"{unknown}\" is not in the vocabulary");

        byteIds = new int[256];
        for (int b = 0; b < 256; b++)
            byteIds[b] = vocabulary.TryGetValue(ByteToUnicode.ToChar((byte)b).ToString(), out int id) ? id : -1;
    }

    /// <summary>Reads a Hugging Face <c>tokenizer.json</c> (model BPE, pre-tokenizer and decoder ByteLevel).</summary>
    /// <exception cref="InvalidDataException">Invalid UTF-8, malformed JSON, a missing or ill-typed field, or a merge
    /// or added token at odds with the vocabulary; the message names the file and the field.</exception>
    /// <exception cref="NotSupportedException">Another model, normaliser, pre-tokenizer or decoder.</exception>
    public static ByteLevelBpeTokenizer Load(string tokenizerJsonPath) =>
        FromTokenizerJson(File.ReadAllBytes(tokenizerJsonPath), tokenizerJsonPath);

    /// <summary>Reads the bytes of a <c>tokenizer.json</c>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">See <see cref="Load"/>.</exception>
    /// <exception cref="NotSupportedException">See <see cref="Load"/>.</exception>
    public static ByteLevelBpeTokenizer FromTokenizerJson(ReadOnlySpan<byte> utf8Json, string source = "<memory>") =>
        new(HuggingFaceTokenizerJson.Parse(utf8Json, source));

    /// <summary>
    /// Reads the GPT-2 style <c>vocab.json</c> and <c>merges.txt</c> (which may start with a <c>#version</c> line),
    /// with GPT-2's pre-tokenisation. <paramref name="specialTokens"/> (such as <c>&lt;|endoftext|&gt;</c>) are found
    /// whole in the text, taking their ids from <c>vocab.json</c>, or new ids after its largest when absent.
    /// </summary>
    /// <exception cref="InvalidDataException">Invalid UTF-8, malformed JSON, a malformed merge line, or a merge whose
    /// tokens are not in the vocabulary; the message names the file and the line.</exception>
    public static ByteLevelBpeTokenizer FromVocabAndMerges(string vocabJsonPath, string mergesTxtPath,
        IReadOnlyList<string>? specialTokens = null, bool addPrefixSpace = false) =>
        new(Gpt2VocabFiles.Read(vocabJsonPath, mergesTxtPath, specialTokens ?? [], addPrefixSpace));

    /// <summary>One more than the largest id, of the model vocabulary and the added tokens.</summary>
    public int VocabularySize { get; }

    /// <summary>The id of the model's <c>unk_token</c>, or -1 when it has none (byte-level models need none).</summary>
    public int UnknownId { get; }

    /// <summary>The added tokens (special or not), as the file lists them.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>The number of merge rules.</summary>
    public int MergeCount => merges.Count;

    /// <summary>The id of <paramref name="piece"/> (a byte-level token such as "Ġworld", or an added token's
    /// content), or <see cref="UnknownId"/> when it has none.</summary>
    public int PieceToId(string piece) => tokenToId.TryGetValue(piece, out int id) ? id : UnknownId;

    /// <summary>The token of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside the vocabulary or names no token.</exception>
    public string IdToPiece(int id) =>
        (uint)id < (uint)VocabularySize && idToToken[id] is { } token
            ? token
            : throw new ArgumentOutOfRangeException(nameof(id), id,
                (uint)id < (uint)VocabularySize ? "no token has this id" : $"id outside the vocabulary of {VocabularySize} ids");

    /// <summary>Whether <paramref name="id"/> is a special added token (such as <c>&lt;|endoftext|&gt;</c>).</summary>
    public bool IsSpecial(int id) => (uint)id < (uint)VocabularySize && isSpecial[id];

    /// <summary>The ids of <paramref name="text"/>; no special token is added around it.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (var segment in addedVocabulary.Split(text))
        {
            if (segment.Token is { } token) ids.Add(token.Id);
            else EncodePlain(text.Substring(segment.Start, segment.Length), ids);
        }
        return [.. ids];
    }

    /// <summary>The tokens of <paramref name="text"/>: byte-level strings ("Ġworld") and added tokens' content.</summary>
    public string[] EncodeToPieces(string text) => [.. Encode(text).Select(IdToPiece)];

    /// <summary>The text of <paramref name="ids"/>, special tokens included (as Hugging Face's default
    /// <c>skip_special_tokens=False</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary or names no token.</exception>
    public string Decode(ReadOnlySpan<int> ids) => Decode(ids, skipSpecialTokens: false);

    /// <summary>The text of <paramref name="ids"/>, without the special tokens when <paramref name="skipSpecialTokens"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary or names no token.</exception>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        var bytes = new List<byte>(ids.Length * 4);
        foreach (int id in ids)
        {
            string token = IdToPiece(id);
            if (skipSpecialTokens && isSpecial[id]) continue;
            AppendTokenBytes(token, bytes);
        }
        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
    }

    // ByteLevel decoder: a token whose every character stands for a byte gives those bytes; any other token (an
    // added token with a space, say) gives its own UTF-8.
    private static void AppendTokenBytes(string token, List<byte> bytes)
    {
        int mark = bytes.Count;
        foreach (char c in token)
        {
            if (!ByteToUnicode.TryGetByte(c, out byte b))
            {
                bytes.RemoveRange(mark, bytes.Count - mark);
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }
            bytes.Add(b);
        }
    }

    private void EncodePlain(string text, List<int> ids)
    {
        if (addPrefixSpace && !text.StartsWith(' ')) text = " " + text;
        if (!useRegex)
        {
            ids.AddRange(EncodeWord(text));
            return;
        }
        for (int start = 0; start < text.Length;)
        {
            int length = Gpt2PreTokenizer.MatchAt(text, start);
            ids.AddRange(EncodeWord(text.Substring(start, length)));
            start += length;
        }
    }

    private int[] EncodeWord(string word)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(word);
        string symbols = ByteToUnicode.Encode(bytes);
        if (cache.TryGetValue(symbols, out var cached)) return cached;
        // ignore_merges looks in the model's vocabulary only, not at the added tokens.
        int[] ids = ignoreMerges && modelVocabulary.TryGetValue(symbols, out int whole)
            ? [whole]
            : merges.Apply(InitialSymbols(bytes));
        if (symbols.Length > LongestCachedWord) return ids;
        if (cache.Count >= CacheCapacity) cache.Clear();
        cache.TryAdd(symbols, ids);
        return ids;
    }

    // One symbol per byte; a byte whose character is not in the vocabulary becomes unk_token (a run of them one
    // unk_token with fuse_unk) or, without one, is dropped, as HF's BPE::merge_word does.
    private int[] InitialSymbols(byte[] bytes)
    {
        var ids = new List<int>(bytes.Length);
        bool previousUnknown = false;
        foreach (byte b in bytes)
        {
            int id = byteIds[b];
            if (id >= 0) ids.Add(id);
            else if (UnknownId >= 0 && !(fuseUnknown && previousUnknown)) ids.Add(UnknownId);
            previousUnknown = id < 0 && UnknownId >= 0;
        }
        return [.. ids];
    }
}
