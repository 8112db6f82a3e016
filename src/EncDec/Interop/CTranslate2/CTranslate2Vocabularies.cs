using System.Text.Json;
using EncDec.Data;
using EncDec.Text;

namespace EncDec.Interop.CTranslate2;

/// <summary>
/// The token lists of a CTranslate2 model folder: <c>shared_vocabulary</c>, or <c>source_vocabulary</c> and
/// <c>target_vocabulary</c>, each as <c>.txt</c> (one token a line, id = line number) or <c>.json</c> (an array of
/// strings, binary version 6). As CTranslate2 does, the unknown token is appended when a list lacks it, so
/// OpenNMT-tf vocabularies without <c>&lt;unk&gt;</c> get it as their last id.
/// </summary>
/// <param name="Source">Source tokens in id order.</param>
/// <param name="SourcePath">The file they came from.</param>
/// <param name="Target">Target tokens in id order (the same list when shared).</param>
/// <param name="TargetPath">The file they came from.</param>
internal sealed record CTranslate2Vocabularies(IReadOnlyList<string> Source, string SourcePath, IReadOnlyList<string> Target, string TargetPath)
{
    /// <summary>Whether source and target share one vocabulary file.</summary>
    public bool Shared => SourcePath == TargetPath;

    /// <summary>Reads the vocabularies of <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">Neither a shared nor a source and a target vocabulary exists.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or repeats a token; the message names it.</exception>
    public static CTranslate2Vocabularies Read(string folder, string unknownToken)
    {
        if (FindFile(folder, "shared_vocabulary") is { } shared)
        {
            var tokens = ReadTokens(shared, unknownToken);
            return new CTranslate2Vocabularies(tokens, shared, tokens, shared);
        }
        string source = FindFile(folder, "source_vocabulary") ?? throw Missing(folder, "source_vocabulary");
        string target = FindFile(folder, "target_vocabulary") ?? throw Missing(folder, "target_vocabulary");
        return new CTranslate2Vocabularies(ReadTokens(source, unknownToken), source, ReadTokens(target, unknownToken), target);
    }

    private static string? FindFile(string folder, string stem) =>
        new[] { ".txt", ".json" }.Select(extension => Path.Combine(folder, stem + extension)).FirstOrDefault(File.Exists);

    private static FileNotFoundException Missing(string folder, string stem) =>
        new($"CTranslate2 model folder '{folder}' has neither shared_vocabulary nor {stem} (.txt or .json)");

    private static List<string> ReadTokens(string path, string unknownToken)
    {
        var tokens = path.EndsWith(".json", StringComparison.Ordinal) ? ReadJson(path) : VocabularyFile.Read(path);
        if (!tokens.Contains(unknownToken)) tokens.Add(unknownToken);
        return tokens;
    }

    private static List<string> ReadJson(string path)
    {
        try
        {
            var tokens = JsonSerializer.Deserialize<List<string>>(File.ReadAllBytes(path));
            if (tokens is null || tokens.Count == 0 || tokens.Any(t => t is null))
                throw new InvalidDataException($"'{path}': a vocabulary must be a non-empty JSON array of strings");
            var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int id = 0; id < tokens.Count; id++)
                if (!lineOf.TryAdd(tokens[id], id))
                    throw new InvalidDataException($"'{path}': id {id} repeats the token \"{tokens[id]}\" of id {lineOf[tokens[id]]}");
            return tokens;
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"'{path}': {JsonErrors.Describe(error)}", error);
        }
    }
}
