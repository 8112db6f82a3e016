using System.Text.RegularExpressions;

namespace EncDec.Evaluation;

/// <summary>
/// SacreBLEU's default BLEU tokenizer <c>13a</c>, the tokenisation of WMT's <c>mteval-v13a.pl</c>: ASCII symbols
/// become tokens of their own, periods and commas are split off unless they sit between digits, and a hyphen
/// is split off after a digit. Everything else, including all non-ASCII punctuation, is left alone.
/// </summary>
/// <remarks>
/// A transcription of SacreBLEU 2.x <c>tokenizers/tokenizer_13a.py</c> and <c>tokenizer_re.py</c>: the same
/// replacements and regular expressions in the same order, then Python's <c>' '.join(line.split())</c>.
/// </remarks>
public static partial class Tokenizer13a
{
    /// <summary>Tokenizes one segment; the tokens of the result are separated by single spaces.</summary>
    /// <param name="line">A detokenized segment.</param>
    /// <returns>The tokens joined by one space, with no leading or trailing space ("" when there is no token).</returns>
    public static string Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        // The language-independent part of mteval-v13a, which undoes the SGML escaping of its input files.
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
            .Replace("-\n", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);
        if (line.Contains('&'))
        {
            // One pass per entity in this order: "&amp;quot;" becomes "&quot;" and stays so, as in SacreBLEU.
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
        }

        line = " " + line + " ";
        line = Symbol().Replace(line, " $1 ");
        line = PeriodOrCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodOrCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return string.Join(' ', PythonWhitespace.Split(line));
    }

    // Python's [\{-\~\[-\` -\&\(-\+\:-\@\/]: the ranges { to ~, [ to `, space to &, ( to +, : to @, and /.
    // That is every printable ASCII symbol except the apostrophe, comma, hyphen and period.
    [GeneratedRegex(@"([\x7B-\x7E\x5B-\x60\x20-\x26\x28-\x2B\x3A-\x40\x2F])", RegexOptions.CultureInvariant)]
    private static partial Regex Symbol();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodOrCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodOrCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigit();
}
