using System.Text;
using EncDec.Text;
using Xunit.Abstractions;

namespace EncDec.Tests.Text;

/// <summary>
/// Compares <see cref="SentencePieceProcessor"/> with SentencePiece's <c>spm_encode</c> and <c>spm_decode</c> on a
/// set of lines: pieces, ids and the decoded text of the ids must be identical on every line.
/// </summary>
internal static class SentencePieceParity
{
    /// <summary>The Multi30k files every parity test encodes (validation and 2016 Flickr test, four languages).</summary>
    public static readonly string[] Multi30kFiles =
    [
        .. from split in new[] { "val", "test_2016_flickr" }
           from language in new[] { "en", "de", "fr", "cs" }
           select $"multi30k/{split}.{language}.gz",
    ];

    /// <summary>
    /// Encodes and decodes <paramref name="lines"/> with both implementations and asserts they agree; returns the
    /// number of lines compared.
    /// </summary>
    public static int AssertIdentical(SentencePieceProcessor ours, string model, string name, byte[][] lines, ITestOutputHelper output)
    {
        string folder = Directory.CreateTempSubdirectory("encdec-spm-").FullName;
        try
        {
            string input = Path.Combine(folder, "input.txt");
            SentencePieceCli.WriteLines(input, lines);
            var pieces = SentencePieceCli.Encode(model, input, "piece");
            var ids = SentencePieceCli.Encode(model, input, "id");
            string idFile = Path.Combine(folder, "ids.txt");
            SentencePieceCli.WriteLines(idFile, ids.Select(Encoding.UTF8.GetBytes));
            var decoded = SentencePieceCli.Decode(model, idFile);
            Assert.Equal(lines.Length, pieces.Length);
            Assert.Equal(lines.Length, ids.Length);
            Assert.Equal(lines.Length, decoded.Length);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var line in lines) ours.EncodeUtf8(line);
            double encodeMs = clock.Elapsed.TotalMilliseconds;

            var mismatches = new List<string>();
            for (int i = 0; i < lines.Length; i++)
            {
                string ourPieces = string.Join(' ', ours.EncodeUtf8ToPieces(lines[i]));
                int[] ourIdArray = ours.EncodeUtf8(lines[i]);
                string ourIds = string.Join(' ', ourIdArray);
                string ourText = ours.Decode(ourIdArray);
                if (ourPieces != pieces[i]) mismatches.Add($"line {i + 1} pieces: ours [{ourPieces}] spm [{pieces[i]}]");
                if (ourIds != ids[i]) mismatches.Add($"line {i + 1} ids: ours [{ourIds}] spm [{ids[i]}]");
                if (ourText != decoded[i]) mismatches.Add($"line {i + 1} decoded: ours [{ourText}] spm [{decoded[i]}]");
            }
            output.WriteLine($"{name}: {lines.Length} lines, {mismatches.Count} mismatches (pieces, ids, decoded text); "
                + $"our encoding took {encodeMs:F1} ms");
            Assert.True(mismatches.Count == 0, $"{name}: {mismatches.Count} mismatches\n{string.Join('\n', mismatches.Take(20))}");
            return lines.Length;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Lines that exercise normalisation and unknown characters: runs of spaces and tabs, characters NFKC changes,
    /// combining accents, emoji, CJK, scripts outside a European vocabulary, an empty line and blank lines.
    /// </summary>
    public static readonly string[] HardLines =
    [
        "",
        "     ",
        "\t \t",
        "  Two  spaces   between\twords\t and a tab  ",
        "ｆｕｌｌ ｗｉｄｔｈ ＡＢＣ １２３ ！？",
        "① ② ⑩ ㈱ ㍻ ﬁ ﬂ ﬀ ﬃ ™ ½ ² x³ ㎏ ℃ Ⅻ ⅻ Ⓐⓑ ǅ",
        "e\u0301 cafe\u0301 n\u0303o A\u030A \u0301 leading combining",
        "emoji 😀 👍🏽 👨‍👩‍👧 🇩🇪 ❤️",
        "CJK 日本語のテキスト 中文字符 한국어 ｶﾀｶﾅ",
        "unknown scripts ᚠᛇᚻ ꦗꦮ 𓀀𓀁 ⵜⴰⵎⴰⵣⵉⵖⵜ ᠮᠣᠩᠭᠣᠯ",
        "▁ meta ▁▁ symbols ▁",
        "\u3000ideographic\u3000space\u00A0no-break\u2009thin\u200Bzero-width",
        "joiner\u200D and bom\uFEFF and soft\u00ADhyphen",
        "Ünïcödé ÀÉÎÕÜ ß ẞ İ ı Ǆ",
        "<unk> </s> <pad> <s> <0x41> ⁇",
        "1234567890 3.14159 1,000,000 ١٢٣",
        "Donaudampfschifffahrtsgesellschaftskapitänswitwe",
        "مرحبا بالعالم שלום עולם",
        "नमस्ते สวัสดี ជំរាបសួរ",
        "\u0001control\u007F chars\u0085 and carriage\rreturn",
        "x",
        " x ",
        "〜～ “quotes” ‘single’ «guillemets» — dash … ellipsis",
        "lone \uD800 surrogate",
        "user symbols a<sep>b @@c Mannschaft ﬁx <ctl> ⁇",
    ];

    /// <summary>Lines that are not valid UTF-8, which SentencePiece reads as one U+FFFD per malformed byte.</summary>
    public static readonly byte[][] MalformedLines =
    [
        [.. "abc"u8, 0xFF, 0xFE, .. "def"u8],
        [0xC3],
        [.. "caf"u8, 0xC3, 0xA9, 0xC3],
        [0xED, 0xA0, 0x80, .. " surrogate bytes"u8],
        [0xF4, 0x90, 0x80, 0x80, .. " beyond U+10FFFF"u8],
        [0xC0, 0xAF, .. " overlong"u8],
        [0xE2, 0x82, .. " truncated"u8],
        [0x80, 0x80, 0x80],
    ];

    /// <summary>The hard lines and the malformed ones, as bytes.</summary>
    public static byte[][] HardLinesUtf8() => [.. HardLines.Select(Encoding.UTF8.GetBytes), .. MalformedLines];
}
