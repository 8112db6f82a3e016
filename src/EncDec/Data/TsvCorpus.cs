using System.Text;

namespace EncDec.Data;

/// <summary>One file of "source \t target" lines. A line must hold exactly one tab: a sentence with a tab in it
/// would make the split ambiguous, so such a line is an error rather than a guess.</summary>
internal sealed class TsvCorpus(string path, CorpusReadOptions options) : SingleFileCorpus(path, options)
{
    /// <inheritdoc />
    protected override (string? Reason, string? Problem) Parse(ReadOnlySpan<byte> line, out string? source, out string? target)
    {
        source = target = null;
        int tabs = line.Count((byte)'\t');
        if (tabs != 1)
            return (CorpusSkipReason.TabCount, $"expected exactly one tab between source and target, found {tabs}");
        int tab = line.IndexOf((byte)'\t');
        source = Encoding.UTF8.GetString(line[..tab]);
        target = Encoding.UTF8.GetString(line[(tab + 1)..]);
        return (null, null);
    }
}
