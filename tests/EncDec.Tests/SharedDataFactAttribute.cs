namespace EncDec.Tests;

/// <summary>
/// A <see cref="FactAttribute"/> for a test that reads the shared data (<c>../shared/data</c> beside the repository,
/// see its README): the test is skipped, with a message saying what was missing, when that data is absent.
/// </summary>
/// <example><code>
/// [SharedDataFact("metrics/wmt22-de-en")]
/// public void Bleu_MatchesTheOfficialScores() { string folder = SharedDataFactAttribute.Require("metrics/wmt22-de-en"); ... }
/// </code></example>
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <param name="relativePath">A file or folder under <c>shared/data</c>, e.g. <c>metrics/wmt22-de-en</c>.</param>
    public SharedDataFactAttribute(string relativePath)
    {
        if (Find(relativePath) is null)
            Skip = $"shared data '{relativePath}' is absent: no shared/data/{relativePath} in any folder above {AppContext.BaseDirectory}";
    }

    /// <summary>
    /// The full path of <paramref name="relativePath"/> under the nearest <c>shared/data</c> found by walking up from
    /// the test assembly's folder (which reaches the repository root and then its parent, where
    /// <c>../shared/data</c> lives), or null when there is none.
    /// </summary>
    public static string? Find(string relativePath)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "shared", "data", relativePath);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary><see cref="Find"/> for a test that the attribute has already let run.</summary>
    public static string Require(string relativePath) =>
        Find(relativePath) ?? throw new InvalidOperationException($"shared data '{relativePath}' is absent");
}
