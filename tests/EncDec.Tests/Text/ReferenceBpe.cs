using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EncDec.Tests.Text;

/// <summary>
/// A deliberately naive byte-level BPE, written from openai/gpt-2's <c>encoder.py</c> and sharing no code with
/// <see cref="EncDec.Text.ByteLevelBpeTokenizer"/>: its own JSON reading, its own <c>bytes_to_unicode</c>, .NET's
/// <see cref="Regex"/> for the pre-tokenisation pattern, and the Python loop "find the adjacent pair of lowest rank,
/// merge every occurrence of it left to right, repeat". Slow, and only for text whose letters lie in the Basic
/// Multilingual Plane (where .NET's <c>\p{L}</c> agrees with Oniguruma's). Added tokens are cut out first, longest
/// alternative first.
/// </summary>
internal sealed class ReferenceBpe
{
    // encoder.py: pat = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
    public static readonly Regex Gpt2Pattern =
        new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant);

    private readonly Dictionary<string, int> encoder = [];
    private readonly Dictionary<(string, string), int> bpeRanks = [];
    private readonly Dictionary<string, int> added = [];
    private readonly Regex? addedPattern;
    private readonly Dictionary<byte, char> byteEncoder = BytesToUnicode();

    public ReferenceBpe(string tokenizerJsonPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(tokenizerJsonPath));
        var model = json.RootElement.GetProperty("model");
        foreach (var entry in model.GetProperty("vocab").EnumerateObject()) encoder[entry.Name] = entry.Value.GetInt32();
        int rank = 0;
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
        {
            string[] pair = merge.ValueKind == JsonValueKind.String
                ? merge.GetString()!.Split(' ')
                : [.. merge.EnumerateArray().Select(p => p.GetString()!)];
            bpeRanks[(pair[0], pair[1])] = rank++;
        }
        foreach (var token in json.RootElement.GetProperty("added_tokens").EnumerateArray())
            added[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
        if (added.Count > 0)
            addedPattern = new Regex("(" + string.Join("|", added.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)) + ")");
    }

    /// <summary>The ids of <paramref name="text"/>.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        string[] parts = addedPattern is null ? [text] : addedPattern.Split(text);
        foreach (string part in parts)
        {
            if (added.TryGetValue(part, out int id))
            {
                ids.Add(id);
                continue;
            }
            foreach (Match match in Gpt2Pattern.Matches(part))
            {
                string token = string.Concat(Encoding.UTF8.GetBytes(match.Value).Select(b => byteEncoder[b]));
                ids.AddRange(Bpe(token).Select(t => encoder[t]));
            }
        }
        return ids;
    }

    // encoder.py's bpe(): word as a tuple of symbols; merge the lowest-ranked bigram everywhere, until none is ranked.
    private List<string> Bpe(string token)
    {
        var word = token.Select(c => c.ToString()).ToList();
        while (word.Count > 1)
        {
            var best = Enumerable.Range(0, word.Count - 1)
                .Select(i => (word[i], word[i + 1]))
                .Where(bpeRanks.ContainsKey)
                .OrderBy(pair => bpeRanks[pair])
                .FirstOrDefault();
            if (best == default) break;
            var merged = new List<string>();
            for (int i = 0; i < word.Count; i++)
            {
                if (i < word.Count - 1 && word[i] == best.Item1 && word[i + 1] == best.Item2)
                {
                    merged.Add(best.Item1 + best.Item2);
                    i++;
                }
                else
                {
                    merged.Add(word[i]);
                }
            }
            word = merged;
        }
        return word;
    }

    // encoder.py's bytes_to_unicode(), line by line.
    private static Dictionary<byte, char> BytesToUnicode()
    {
        var bs = Enumerable.Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range('¡', '¬' - '¡' + 1))
            .Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToList();
        var cs = bs.ToList();
        int n = 0;
        for (int b = 0; b < 256; b++)
        {
            if (bs.Contains(b)) continue;
            bs.Add(b);
            cs.Add(256 + n++);
        }
        return bs.Zip(cs).ToDictionary(p => (byte)p.First, p => (char)p.Second);
    }
}
