using EncDec.Models;
using EncDec.Text;

namespace EncDec.Interop.CTranslate2;

/// <summary>
/// Loads a CTranslate2 Transformer model folder (<c>model.bin</c>, the vocabularies, an optional <c>config.json</c>)
/// as an EncDec <see cref="TranslationModel"/> that computes what CTranslate2 computes: the architecture is inferred
/// from the variables (<see cref="CTranslate2ModelFile"/>), built with <see cref="ModelBuilder"/>, and every parameter
/// is filled from a checked variable, splitting the fused attention projections. Tokens are space-separated words
/// (<see cref="VocabularyKind.Word"/>) with CTranslate2's special tokens <c>&lt;blank&gt;</c> (pad), <c>&lt;s&gt;</c>,
/// <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c> (appended when a vocabulary lacks it). As in CTranslate2, no BOS or EOS is
/// added to the source unless <c>config.json</c> asks for EOS, and decoding starts from <c>&lt;s&gt;</c> (or the
/// configured <c>decoder_start_token</c>).
/// </summary>
/// <example><code>
/// var translator = CTranslate2ModelReader.Load("ctranslate2-aren-transliteration");
/// int[] source = translator.SourceTokenizer.Encode("آ ت ز م و ن");   // no end token appended
/// // greedy or beam search from translator.Ids.Start, stopping at translator.Ids.End, gives "a t z m o n"
/// </code></example>
public static class CTranslate2ModelReader
{
    /// <summary>Loads the model folder <paramref name="folder"/>; the model is returned in evaluation mode.</summary>
    /// <exception cref="FileNotFoundException"><c>model.bin</c> or a vocabulary is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed file, or variables that do not form a Transformer this toolkit
    /// builds; the message names the file and every offending variable and parameter.</exception>
    /// <exception cref="NotSupportedException">A setting EncDec cannot reproduce (source BOS, an unusual activation, epsilon or scale).</exception>
    public static TranslationModel Load(string folder)
    {
        string binary = Path.Combine(folder, "model.bin");
        if (!File.Exists(binary)) throw new FileNotFoundException($"CTranslate2 model folder '{folder}' has no model.bin", binary);
        var file = CTranslate2ModelFile.Read(binary);
        var options = CTranslate2ModelOptions.Read(folder);
        if (options.AddSourceBos)
            throw new NotSupportedException($"CTranslate2 model folder '{folder}': add_source_bos (a TranslationModel can only append the end token)");
        var architecture = CTranslate2Architecture.Infer(file, options);
        var vocabularies = CTranslate2Vocabularies.Read(folder, options.UnknownToken);
        var config = architecture.Config;
        RequireSize(vocabularies.SourcePath, vocabularies.Source.Count, config.SourceVocabulary, "encoder/embeddings/weight");
        RequireSize(vocabularies.TargetPath, vocabularies.Target.Count, config.TargetVocabulary, "decoder/embeddings/weight");

        var model = ModelBuilder.Build(config);
        CTranslate2WeightMap.Copy(file, model, architecture.Attributes);
        model.Eval();

        var specials = new SpecialTokens(Pad: "<blank>", Bos: options.BosToken, Eos: options.EosToken, Unknown: options.UnknownToken);
        var target = new Vocabulary(vocabularies.Target, VocabularyKind.Word, specials);
        var source = vocabularies.Shared ? target : new Vocabulary(vocabularies.Source, VocabularyKind.Word, specials);
        var ids = new SpecialIds(
            // CTranslate2 pads with id 0 and masks by length; <blank> is id 0 in OpenNMT vocabularies.
            Pad: target.PadId >= 0 ? target.PadId : 0,
            Start: Require(target, options.DecoderStartToken, vocabularies.TargetPath),
            End: Require(target, options.EosToken, vocabularies.TargetPath),
            Unknown: target.UnknownId);
        ids.Validate(config.TargetVocabulary);
        return new TranslationModel(model, config, source, target, ids, AppendSourceEnd: options.AddSourceEos);
    }

    private static void RequireSize(string path, int tokens, int rows, string variable)
    {
        if (tokens != rows)
            throw new InvalidDataException($"'{path}' holds {tokens} tokens (with the unknown token) but '{variable}' has {rows} rows");
    }

    private static int Require(Vocabulary vocabulary, string token, string path) =>
        vocabulary.Contains(token) ? vocabulary.PieceToId(token)
        : throw new InvalidDataException($"'{path}' lacks the special token \"{token}\"");
}
