using System.Text;

namespace EncDec.Evaluation;

/// <summary>Text made safe for XML and HTML, in content and in double- or single-quoted attributes.</summary>
internal static class Markup
{
    /// <summary>Escapes &amp; &lt; &gt; " and ', and replaces control characters XML 1.0 forbids with U+FFFD.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                < ' ' and not ('\t' or '\n' or '\r') => "\uFFFD",
                '\uFFFE' or '\uFFFF' => "\uFFFD",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }
}
