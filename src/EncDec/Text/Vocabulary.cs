using System.Text;

namespace EncDec.Text;

/// <summary>
/// A token ↔ id map for word-level or character-level models, with special tokens (pad, bos, eos, unk), reserved
/// tokens such as language tags, and T5's sentinels; saved as a text file of one token a line, whose line number
/// (from 0) is the id.
/// </summary>
/// <example><code>
/// var vocabulary = VocabularyBuilder.Words(File.ReadLines("train.en"), new VocabularyOptions(MinFrequency: 2));
/// int[] ids = vocabulary.Encode("a dog runs");        // unknown words become UnknownId
/// string text = vocabulary.Decode(ids);              // "a dog runs"
/// vocabulary.Save("vocab.en.txt");
/// var again = Vocabulary.Load("vocab.en.txt");
/// </code></example>
/// <remarks>Instances are immutable and safe to share between threads.</remarks>
public sealed class Vocabulary : ITokenizer
{
    private readonly string[] tokens;
    private readonly Dictionary<string, int> ids;
    private readonly bool[] control;

    /// <summary>A vocabulary whose id i is <paramref name="tokens"/>[i]. Special tokens are found by name (see
    /// <see cref="SpecialTokens"/>): a name not in the list simply has no id (-1).</summary>
    /// <exception cref="ArgumentException">A token appears twice.</exception>
    public Vocabulary(IEnumerable<string> tokens, VocabularyKind kind = VocabularyKind.Word, SpecialTokens? specials = null)
    {
        this.tokens = [.. tokens];
        ids = new Dictionary<string, int>(this.tokens.Length, StringComparer.Ordinal);
        for (int id = 0; id < this.tokens.Length; id++)
        {
            ArgumentNullException.ThrowIfNull(this.tokens[id], $"tokens[{id}]");
            if (!ids.TryAdd(this.tokens[id], id))
                throw new ArgumentException($"token \"{this.tokens[id]}\" has two ids, {ids[this.tokens[id]]} and {id}", nameof(tokens));
        }
        Kind = kind;
        Specials = specials ?? SpecialTokens.Default;
        PadId = Find(Specials.Pad);
        BosId = Find(Specials.Bos);
        EosId = Find(Specials.Eos);
        UnknownId = Find(Specials.Unknown);
        control = new bool[this.tokens.Length];
        foreach (int id in new[] { PadId, BosId, EosId }.Where(id => id >= 0)) control[id] = true;
    }

    /// <summary>Reads a vocabulary file: one token a line, UTF-8, the id being the line number from 0. A final
    /// newline ends the last line; "\r\n" line ends are read as "\n".</summary>
    /// <exception cref="InvalidDataException">Invalid UTF-8, a repeated token, or no token; the message names the
    /// file and the line.</exception>
    public static Vocabulary Load(string path, VocabularyKind kind = VocabularyKind.Word, SpecialTokens? specials = null) =>
        new(VocabularyFile.Read(path), kind, specials);

    /// <summary>Writes the vocabulary as <see cref="Load"/> reads it.</summary>
    /// <exception cref="InvalidOperationException">A token holds a line break, which the format cannot store.</exception>
    public void Save(string path) => VocabularyFile.Write(path, tokens);

    /// <summary>How text is cut into tokens.</summary>
    public VocabularyKind Kind { get; }

    /// <summary>The special tokens' names.</summary>
    public SpecialTokens Specials { get; }

    /// <summary>The tokens, in id order.</summary>
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>The number of tokens.</summary>
    public int VocabularySize => tokens.Length;

    /// <summary>The id of the padding token, or -1.</summary>
    public int PadId { get; }

    /// <summary>The id of the beginning-of-sequence token, or -1.</summary>
    public int BosId { get; }

    /// <summary>The id of the end-of-sequence token, or -1.</summary>
    public int EosId { get; }

    /// <summary>The id of the unknown token, or -1.</summary>
    public int UnknownId { get; }

    /// <summary>The id of T5's sentinel <c>&lt;extra_id_k&gt;</c>, or -1 when the vocabulary has none.</summary>
    public int SentinelId(int k) => Find(SpecialTokens.Sentinel(k));

    /// <summary>Whether <paramref name="token"/> has an id.</summary>
    public bool Contains(string token) => ids.ContainsKey(token);

    /// <summary>The id of <paramref name="piece"/>, or <see cref="UnknownId"/> when it has none.</summary>
    public int PieceToId(string piece) => ids.TryGetValue(piece, out int id) ? id : UnknownId;

    /// <summary>The token of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside the vocabulary.</exception>
    public string IdToPiece(int id) =>
        (uint)id < (uint)tokens.Length
            ? tokens[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"id outside the vocabulary of {tokens.Length} tokens");

    /// <summary>Whether <paramref name="id"/> is the pad, bos or eos token, which <see cref="Decode(ReadOnlySpan{int})"/> leaves out.</summary>
    public bool IsControl(int id) => (uint)id < (uint)control.Length && control[id];

    /// <summary>The ids of <paramref name="text"/>'s words or characters; one not in the vocabulary gets <see cref="UnknownId"/>.</summary>
    /// <exception cref="ArgumentException">A token is not in the vocabulary and there is no unknown token.</exception>
    public int[] Encode(string text) => [.. TokenCounts.Tokenize(text, Kind).Select(IdOf)];

    /// <summary>The tokens <see cref="Encode"/> gives ids to: an unknown one is written as the unknown token.</summary>
    /// <exception cref="ArgumentException">A token is not in the vocabulary and there is no unknown token.</exception>
    public string[] EncodeToPieces(string text) => [.. TokenCounts.Tokenize(text, Kind).Select(t => tokens[IdOf(t)])];

    /// <summary>The text of <paramref name="ids"/> without the pad, bos and eos tokens (as SentencePiece leaves out
    /// control pieces): words joined by one space, or characters concatenated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids) => Decode(ids, skipSpecialTokens: true);

    /// <summary>The text of <paramref name="ids"/>, keeping the pad, bos and eos tokens unless <paramref name="skipSpecialTokens"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            string token = IdToPiece(id);
            if (skipSpecialTokens && control[id]) continue;
            if (Kind == VocabularyKind.Word && text.Length > 0) text.Append(' ');
            text.Append(token);
        }
        return text.ToString();
    }

    private int IdOf(string token) =>
        ids.TryGetValue(token, out int id) ? id
        : UnknownId >= 0 ? UnknownId
        : throw new ArgumentException($"token \"{token}\" is not in the vocabulary, which has no unknown token");

    private int Find(string? token) => token is not null && ids.TryGetValue(token, out int id) ? id : -1;
}
