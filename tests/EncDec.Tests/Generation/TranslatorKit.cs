using EncDec.Models;
using EncDec.Tensors;
using EncDec.Tests.Models;
using EncDec.Text;

namespace EncDec.Tests.Generation;

/// <summary>A tiny random word-level translation model over the words a..g (vocabulary 11 with the four specials).</summary>
internal static class TranslatorKit
{
    public static readonly string[] Words = ["a", "b", "c", "d", "e", "f", "g"];

    public static TranslationModel Word(string preset = "transformer", ulong seed = 11)
    {
        var vocabulary = new Vocabulary(["<pad>", "<s>", "</s>", "<unk>", .. Words]);
        var config = ModelTestKit.Tiny(preset);
        var model = ModelBuilder.Build(config, new RandomGenerator(seed));
        model.Eval();
        return new TranslationModel(model, config, vocabulary, vocabulary, new SpecialIds(0, 1, 2, 3));
    }

    /// <summary>The same network with a SentencePiece tokenizer shared by both sides (vocabulary 7, start = end = &lt;/s&gt;).</summary>
    public static TranslationModel SentencePiece()
    {
        var spm = Cli.TokenizeCommandTests.SmallModel();
        var config = ModelTestKit.Tiny("transformer").WithVocabularies(spm.VocabularySize, spm.VocabularySize);
        var model = ModelBuilder.Build(config, new RandomGenerator(4));
        model.Eval();
        return new TranslationModel(model, config, spm, spm, new SpecialIds(Pad: 0, Start: 1, End: 1, Unknown: 0));
    }
}
