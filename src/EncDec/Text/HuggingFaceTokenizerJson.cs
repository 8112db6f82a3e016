using System.Text.Json;

namespace EncDec.Text;

/// <summary>
/// Reads a Hugging Face tokenizers <c>tokenizer.json</c> whose model is BPE with the ByteLevel pre-tokenizer and
/// decoder (GPT-2, RoBERTa, Whisper, BART): <c>model.vocab</c>, <c>model.merges</c> (either <c>"a b"</c> strings or
/// <c>["a", "b"]</c> pairs), <c>added_tokens</c> and the ByteLevel options.
/// </summary>
/// <remarks>
/// The post-processor (such as Whisper's template adding <c>&lt;|startoftranscript|&gt;</c>), truncation and
/// padding are not read: <see cref="ITokenizer.Encode"/> gives the text's own ids, as
/// <see cref="SentencePieceProcessor"/> adds no BOS or EOS. BPE dropout is ignored (encoding is deterministic).
/// Anything that would change the ids and is not implemented — a normaliser, another pre-tokenizer (a Split regex),
/// another decoder, a subword prefix or suffix, byte fallback — is refused with a <see cref="NotSupportedException"/>
/// rather than encoded differently from the reference.
/// </remarks>
internal static class HuggingFaceTokenizerJson
{
    /// <summary>Reads and checks <paramref name="utf8"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Invalid UTF-8, malformed JSON, or a missing or ill-typed field.</exception>
    /// <exception cref="NotSupportedException">A component other than byte-level BPE.</exception>
    public static ByteLevelBpeDefinition Parse(ReadOnlySpan<byte> utf8, string source)
    {
        using var document = JsonFields.Parse(utf8, source);
        var root = document.RootElement;
        JsonFields.ExpectKind(root, JsonValueKind.Object, "the top level", source);

        var model = JsonFields.Required(root, "model", JsonValueKind.Object, "model", source);
        CheckModel(model, source);
        var vocabulary = JsonFields.ReadVocabulary(
            JsonFields.Required(model, "vocab", JsonValueKind.Object, "model.vocab", source), "model.vocab", source);
        var merges = ReadMerges(JsonFields.Required(model, "merges", JsonValueKind.Array, "model.merges", source), source);
        var addedTokens = ReadAddedTokens(root, vocabulary, source);
        CheckNormalizer(root, source);
        var (addPrefixSpace, useRegex) = ReadPreTokenizer(root, source);
        CheckDecoder(root, source);

        return new ByteLevelBpeDefinition(source, vocabulary, merges, addedTokens, addPrefixSpace, useRegex,
            UnknownToken: JsonFields.OptionalString(model, "unk_token", "model.unk_token", source),
            FuseUnknown: JsonFields.OptionalBool(model, "fuse_unk", false, "model.fuse_unk", source),
            IgnoreMerges: JsonFields.OptionalBool(model, "ignore_merges", false, "model.ignore_merges", source));
    }

    private static void CheckModel(JsonElement model, string source)
    {
        string? type = JsonFields.OptionalString(model, "type", "model.type", source);
        if (type is not (null or "BPE"))
            throw new NotSupportedException($"'{source}': model type '{type}' is not supported (only BPE)");
        foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (JsonFields.OptionalString(model, affix, $"model.{affix}", source) is { Length: > 0 } value)
                throw new NotSupportedException($"'{source}': model.{affix} \"{value}\" is not supported");
        }
        if (JsonFields.OptionalBool(model, "byte_fallback", false, "model.byte_fallback", source))
            throw new NotSupportedException($"'{source}': model.byte_fallback is not supported");
    }

    private static List<BpeMergeRule> ReadMerges(JsonElement merges, string source)
    {
        var rules = new List<BpeMergeRule>(merges.GetArrayLength());
        int index = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            string path = $"model.merges[{index++}]";
            string[] parts = merge.ValueKind switch
            {
                JsonValueKind.String => JsonFields.GetString(merge, path, source).Split(' '),
                JsonValueKind.Array => [.. merge.EnumerateArray().Select(part => JsonFields.GetString(part, path, source))],
                _ => throw new InvalidDataException($"'{source}': '{path}' should be \"a b\" or [\"a\", \"b\"]"),
            };
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"'{source}': '{path}' should name two tokens, not {merge.GetRawText()}");
            rules.Add(new BpeMergeRule(parts[0], parts[1], path));
        }
        return rules;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, IReadOnlyDictionary<string, int> vocabulary, string source)
    {
        var tokens = new List<AddedToken>();
        if (JsonFields.Optional(root, "added_tokens") is not { } array) return tokens;
        JsonFields.ExpectKind(array, JsonValueKind.Array, "added_tokens", source);
        var byContent = new Dictionary<string, string>(StringComparer.Ordinal);
        var byId = new Dictionary<int, string>();
        int index = 0;
        foreach (var entry in array.EnumerateArray())
        {
            string path = $"added_tokens[{index++}]";
            JsonFields.ExpectKind(entry, JsonValueKind.Object, path, source);
            int id = JsonFields.GetId(JsonFields.Required(entry, "id", JsonValueKind.Number, $"{path}.id", source), $"{path}.id", source);
            string content = JsonFields.GetString(
                JsonFields.Required(entry, "content", JsonValueKind.String, $"{path}.content", source), $"{path}.content", source);
            bool special = JsonFields.OptionalBool(entry, "special", false, $"{path}.special", source);
            var token = new AddedToken(id, content, special,
                SingleWord: JsonFields.OptionalBool(entry, "single_word", false, $"{path}.single_word", source),
                LeftStrip: JsonFields.OptionalBool(entry, "lstrip", false, $"{path}.lstrip", source),
                RightStrip: JsonFields.OptionalBool(entry, "rstrip", false, $"{path}.rstrip", source),
                Normalized: JsonFields.OptionalBool(entry, "normalized", !special, $"{path}.normalized", source));

            if (vocabulary.TryGetValue(content, out int modelId) && modelId != id)
                throw new InvalidDataException($"'{source}': {path} \"{content}\" has id {id}, but model.vocab gives it {modelId}");
            if (!byContent.TryAdd(content, path))
                throw new InvalidDataException($"'{source}': {path} repeats \"{content}\" of {byContent[content]}");
            if (!byId.TryAdd(id, path))
                throw new InvalidDataException($"'{source}': {path} repeats id {id} of {byId[id]}");
            tokens.Add(token);
        }
        return tokens;
    }

    private static void CheckNormalizer(JsonElement root, string source)
    {
        if (JsonFields.Optional(root, "normalizer") is not { } normalizer) return;
        string type = ComponentType(normalizer, "normalizer", source);
        bool emptySequence = type == "Sequence" && JsonFields.Optional(normalizer, "normalizers") is { ValueKind: JsonValueKind.Array } list
            && list.GetArrayLength() == 0;
        if (!emptySequence) throw new NotSupportedException($"'{source}': normalizer '{type}' is not supported (only none)");
    }

    private static (bool AddPrefixSpace, bool UseRegex) ReadPreTokenizer(JsonElement root, string source)
    {
        if (JsonFields.Optional(root, "pre_tokenizer") is not { } preTokenizer)
            throw new NotSupportedException($"'{source}': no pre_tokenizer; only ByteLevel is supported");
        var byteLevel = SingleByteLevel(preTokenizer, "pre_tokenizer", "pretokenizers", source);
        return (JsonFields.OptionalBool(byteLevel, "add_prefix_space", true, "pre_tokenizer.add_prefix_space", source),
            JsonFields.OptionalBool(byteLevel, "use_regex", true, "pre_tokenizer.use_regex", source));
    }

    private static void CheckDecoder(JsonElement root, string source)
    {
        if (JsonFields.Optional(root, "decoder") is not { } decoder)
            throw new NotSupportedException($"'{source}': no decoder; only ByteLevel is supported");
        SingleByteLevel(decoder, "decoder", "decoders", source);
    }

    // ByteLevel, or a Sequence whose only member is ByteLevel.
    private static JsonElement SingleByteLevel(JsonElement component, string path, string listName, string source)
    {
        string type = ComponentType(component, path, source);
        if (type == "ByteLevel") return component;
        if (type == "Sequence")
        {
            var members = JsonFields.Required(component, listName, JsonValueKind.Array, $"{path}.{listName}", source);
            var types = members.EnumerateArray().Select((m, i) => ComponentType(m, $"{path}.{listName}[{i}]", source)).ToList();
            if (types is ["ByteLevel"]) return members[0];
            type = $"Sequence [{string.Join(", ", types)}]";
        }
        throw new NotSupportedException($"'{source}': {path} '{type}' is not supported (only ByteLevel)");
    }

    private static string ComponentType(JsonElement component, string path, string source)
    {
        JsonFields.ExpectKind(component, JsonValueKind.Object, path, source);
        return JsonFields.GetString(JsonFields.Required(component, "type", JsonValueKind.String, $"{path}.type", source), $"{path}.type", source);
    }
}
