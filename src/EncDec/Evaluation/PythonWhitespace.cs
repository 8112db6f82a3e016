namespace EncDec.Evaluation;

/// <summary>
/// Python's idea of whitespace (<c>str.isspace</c>, used by <c>str.split()</c> and <c>str.rstrip()</c>), which
/// SacreBLEU relies on to split tokens, trim lines and drop spaces before chrF.
/// </summary>
/// <remarks>
/// It differs from <see cref="char.IsWhiteSpace(char)"/>: Python also counts the information separators
/// U+001C..U+001F. Every Python whitespace character is in the Basic Multilingual Plane, so testing UTF-16
/// code units one at a time is exact.
/// </remarks>
internal static class PythonWhitespace
{
    /// <summary>True for the characters CPython's <c>_PyUnicode_IsWhitespace</c> accepts.</summary>
    public static bool IsWhiteSpace(char c) => c switch
    {
        >= '\u0009' and <= '\u000D' => true,
        >= '\u001C' and <= '\u0020' => true,
        '\u0085' or '\u00A0' or '\u1680' => true,
        >= '\u2000' and <= '\u200A' => true,
        '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        _ => false,
    };

    /// <summary><c>text.split()</c>: the maximal runs of non-whitespace, in order.</summary>
    public static List<string> Split(string text)
    {
        var parts = new List<string>();
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (IsWhiteSpace(text[i]))
            {
                if (start >= 0) parts.Add(text[start..i]);
                start = -1;
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        if (start >= 0) parts.Add(text[start..]);
        return parts;
    }

    /// <summary><c>text.rstrip()</c>: the text without trailing whitespace.</summary>
    public static string TrimEnd(string text)
    {
        int end = text.Length;
        while (end > 0 && IsWhiteSpace(text[end - 1])) end--;
        return end == text.Length ? text : text[..end];
    }

    /// <summary><c>"".join(text.split())</c>: the text with every whitespace character removed.</summary>
    public static string Remove(string text) => string.Concat(Split(text));
}
