using System.Buffers.Binary;
using System.Text;
using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// The normalisation rule written into trained models is SentencePiece's <c>nmt_nfkc</c>: rebuilt from Unicode
/// data, it holds every rule of the one spm_train 0.1.97 writes (decompiled from a model it trains), and compiled
/// into a trie it gives each rule's replacement back.
/// </summary>
public sealed class NmtNfkcRuleTests : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Rule_HasNfkcAndTheNmtAdditions()
    {
        var rule = NfkcRuleBuilder.NmtNfkc();

        Assert.Equal("fi", rule["ﬁ"]);                  // compatibility ligature
        Assert.Equal("A", rule["Ａ"]);                  // fullwidth letter
        Assert.Equal("1", rule["①"]);
        Assert.Equal("é", rule["e\u0301"]);            // composition of a letter and its accent
        Assert.Equal("é", rule["ｅ\u0301"]);           // ... from a compatibility variant of the letter too
        Assert.Equal("각", rule["\u1100\u1161\u11A8"]); // Hangul jamo compose into a syllable
        Assert.Equal(" ", rule["\t"]);
        Assert.Equal(" ", rule["\u00A0"]);
        Assert.Equal(" ", rule["\u200B"]);
        Assert.Equal("", rule["\u0007"]);               // control characters are deleted
        Assert.False(rule.ContainsKey("～"));            // the fullwidth tilde is kept, for Japanese
        Assert.False(rule.ContainsKey("é"));             // already NFKC
    }

    [Fact]
    public void CompiledRule_GivesEveryReplacementBack()
    {
        var rule = NfkcRuleBuilder.NmtNfkc();
        var blob = PrecompiledCharsMapBuilder.Build(rule);
        var decompiled = Decompile(blob);

        Assert.Equal(rule.Count, decompiled.Count);
        foreach (var (key, value) in rule) Assert.Equal(value, decompiled[key]);
    }

    [ToolFact("spm_train")]
    public void Rule_HoldsEveryRuleOfSpmTrainsNmtNfkc()
    {
        string prefix = files.PathOf("spm");
        SentencePieceCli.Train($"--input={files.Write("train.txt", TrainingFiles.SyntheticLines(50))}",
            $"--model_prefix={prefix}", "--model_type=char", "--vocab_size=1000");
        var reference = Decompile(SentencePieceModelProto.Load(prefix + ".model").NormalizerSpec.PrecompiledCharsMap.ToArray());
        var ours = NfkcRuleBuilder.NmtNfkc();

        Assert.Equal(224725, reference.Count);
        Assert.All(reference, rule => Assert.Equal(rule.Value, ours.GetValueOrDefault(rule.Key)));
        // Ours has 73 rules more: characters that Unicode assigned after the ICU that SentencePiece compiled with
        // (U+10780..U+107BA modifier letters, U+A7F2..U+A7F4), each with its compositions.
        var extra = ours.Keys.Except(reference.Keys).ToList();
        Assert.Equal(73, extra.Count);
        Assert.All(extra, key => Assert.True(char.ConvertToUtf32(key, 0) is (>= 0x10780 and <= 0x107BA) or (>= 0xA7F2 and <= 0xA7F4), key));
    }

    /// <summary>Every (source, replacement) of a precompiled charsmap, by walking its trie over all byte values.</summary>
    private static Dictionary<string, string> Decompile(byte[] blob)
    {
        int trieSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob);
        var units = new uint[trieSize / 4];
        for (int i = 0; i < units.Length; i++) units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4 + 4 * i));
        var strings = blob.AsSpan(4 + trieSize).ToArray();
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        var key = new List<byte>();
        Walk(0);
        return rules;

        void Walk(uint node)
        {
            uint childBase = node ^ Offset(units[node]);
            for (int label = 1; label < 256; label++)
            {
                uint child = childBase ^ (uint)label;
                if (child >= units.Length || (units[child] & 0x800000FF) != label) continue;
                key.Add((byte)label);
                if (((units[child] >> 8) & 1) == 1)
                {
                    int value = (int)(units[child ^ Offset(units[child])] & 0x7FFFFFFF);
                    int end = Array.IndexOf(strings, (byte)0, value);
                    rules[Encoding.UTF8.GetString([.. key])] = Encoding.UTF8.GetString(strings, value, end - value);
                }
                Walk(child);
                key.RemoveAt(key.Count - 1);
            }
        }
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
