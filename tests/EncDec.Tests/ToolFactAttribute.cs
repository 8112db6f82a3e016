namespace EncDec.Tests;

/// <summary>
/// A <see cref="FactAttribute"/> for a test that runs an external program (a reference implementation such as
/// SentencePiece's <c>spm_encode</c>) and optionally reads shared data: the test is skipped, with a message saying
/// what is missing, when the program is not on the PATH or the data is absent.
/// </summary>
/// <example><code>
/// [ToolFact("spm_encode", "tokenizers/t5-small/spiece.model")]
/// public void Pieces_MatchSpmEncode() { string spm = ToolFactAttribute.Require("spm_encode"); ... }
/// </code></example>
public sealed class ToolFactAttribute : FactAttribute
{
    /// <param name="tool">The program's file name, looked up on the PATH, e.g. <c>spm_encode</c>.</param>
    /// <param name="sharedData">Files or folders under <c>shared/data</c> the test also needs
    /// (see <see cref="SharedDataFactAttribute"/>).</param>
    public ToolFactAttribute(string tool, params string[] sharedData)
    {
        var missing = new List<string>();
        if (Find(tool) is null)
            missing.Add($"program '{tool}' is not on the PATH (for SentencePiece: apt-get install sentencepiece)");
        missing.AddRange(sharedData.Where(path => SharedDataFactAttribute.Find(path) is null)
            .Select(path => $"shared data '{path}' is absent"));
        if (missing.Count > 0) Skip = string.Join("; ", missing);
    }

    /// <summary>The full path of <paramref name="tool"/> in the first PATH folder that has it, or null.</summary>
    public static string? Find(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }

    /// <summary><see cref="Find"/> for a test that the attribute has already let run.</summary>
    public static string Require(string tool) =>
        Find(tool) ?? throw new InvalidOperationException($"program '{tool}' is not on the PATH");
}
