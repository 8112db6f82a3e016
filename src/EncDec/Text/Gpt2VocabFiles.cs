namespace EncDec.Text;

/// <summary>
/// Reads the GPT-2 style pair <c>vocab.json</c> (token → id) and <c>merges.txt</c> (one <c>"a b"</c> rule a line, in
/// rank order, after an optional <c>#version</c> line), as Hugging Face tokenizers' <c>BPE::from_file</c> does.
/// </summary>
internal static class Gpt2VocabFiles
{
    /// <summary>Reads both files; <paramref name="specialTokens"/> become special added tokens, with their ids from
    /// <c>vocab.json</c> or, for those not in it, the ids after the vocabulary's largest.</summary>
    /// <exception cref="InvalidDataException">Invalid UTF-8, malformed JSON or a malformed merge line, naming the file and line.</exception>
    public static ByteLevelBpeDefinition Read(string vocabJsonPath, string mergesTxtPath, IReadOnlyList<string> specialTokens, bool addPrefixSpace)
    {
        Dictionary<string, int> vocabulary;
        using (var document = JsonFields.Parse(File.ReadAllBytes(vocabJsonPath), vocabJsonPath))
            vocabulary = JsonFields.ReadVocabulary(document.RootElement, "the top level", vocabJsonPath);

        var merges = ReadMerges(mergesTxtPath);
        int nextId = vocabulary.Count == 0 ? 0 : vocabulary.Values.Max() + 1;
        var added = specialTokens
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(t => new AddedToken(vocabulary.TryGetValue(t, out int id) ? id : nextId++, t))
            .ToList();
        return new ByteLevelBpeDefinition(mergesTxtPath, vocabulary, merges, added, addPrefixSpace, UseRegex: true);
    }

    private static List<BpeMergeRule> ReadMerges(string path)
    {
        string[] lines = Utf8TextFile.Read(path).Split('\n');
        var rules = new List<BpeMergeRule>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.StartsWith("#version", StringComparison.Ordinal)) continue;
            if (line.Length == 0 && i == lines.Length - 1) break;   // the final newline
            string[] parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"'{path}': line {i + 1} should be two tokens separated by one space, not \"{line}\"");
            rules.Add(new BpeMergeRule(parts[0], parts[1], $"line {i + 1}"));
        }
        return rules;
    }
}
