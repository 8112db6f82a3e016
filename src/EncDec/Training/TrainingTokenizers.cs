using EncDec.Data;
using EncDec.Models;
using EncDec.Text;
using EncDec.Text.Training;
using EncDec.Training.Configuration;

namespace EncDec.Training;

/// <summary>
/// The source and target tokenizers of a run and their special ids: learned from the training data
/// (SentencePiece unigram or BPE through <see cref="SubwordTrainer"/>, or word/character vocabularies) or
/// loaded from files. A learned SentencePiece model gets a <c>&lt;pad&gt;</c> control piece appended as its
/// last id, since spm_train's defaults have no padding id and the loss must ignore padding without
/// ignoring unknown tokens; control pieces never match text, so segmentation is unchanged.
/// </summary>
/// <param name="Source">Source text to ids.</param>
/// <param name="Target">Target text to ids (the same instance when the vocabulary is joint).</param>
/// <param name="Ids">The target side's pad, start, end and unknown ids; the source side uses the same pad and end.</param>
public sealed record TrainingTokenizers(ITokenizer Source, ITokenizer Target, SpecialIds Ids)
{
    /// <summary>Learns or loads the tokenizers described by <paramref name="config"/>.</summary>
    /// <param name="config">The tokenizer section.</param>
    /// <param name="train">The training corpus (read once or twice, streamed).</param>
    /// <param name="workFolder">Where temporary text files for the SentencePiece trainer go (deleted afterwards).</param>
    /// <param name="seed">Seeds the sampling of lines when <see cref="TokenizerConfig.SampleSentences"/> is set.</param>
    public static TrainingTokenizers Prepare(TokenizerConfig config, IParallelCorpus train, string workFolder, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(train);
        (ITokenizer source, ITokenizer target) = config.Kind switch
        {
            TokenizerKind.File => (TokenizerLoader.Load(config.Source!), TokenizerLoader.Load(config.Target ?? config.Source!)),
            TokenizerKind.Word or TokenizerKind.Char => BuildVocabularies(config, train),
            _ => TrainSentencePiece(config, train, workFolder, seed),
        };
        var ids = IdsOf(target);
        var sourceIds = IdsOf(source);
        if (sourceIds.Pad != ids.Pad || sourceIds.End != ids.End)
            throw new InvalidDataException(
                $"source and target tokenizers disagree on pad/end ids (source {sourceIds.Pad}/{sourceIds.End}, target {ids.Pad}/{ids.End})");
        return new TrainingTokenizers(source, target, ids);
    }

    /// <summary>The special ids of a tokenizer; start falls back to pad (T5's convention) when there is no BOS.</summary>
    /// <exception cref="InvalidDataException">The tokenizer has no pad or no end-of-sentence id.</exception>
    public static SpecialIds IdsOf(ITokenizer tokenizer)
    {
        (int pad, int bos, int eos, int unknown) = tokenizer switch
        {
            SentencePieceProcessor spm => (spm.PadId, spm.BosId, spm.EosId, spm.UnknownId),
            Vocabulary vocabulary => (vocabulary.PadId, vocabulary.BosId, vocabulary.EosId, vocabulary.UnknownId),
            _ => (tokenizer.PieceToId("<pad>"), tokenizer.PieceToId("<s>"), tokenizer.PieceToId("</s>"), tokenizer.PieceToId("<unk>")),
        };
        if (pad < 0) throw new InvalidDataException($"the tokenizer ({tokenizer.GetType().Name}) has no padding id; training needs one");
        if (eos < 0) throw new InvalidDataException($"the tokenizer ({tokenizer.GetType().Name}) has no end-of-sentence id");
        return new SpecialIds(pad, bos >= 0 ? bos : pad, eos, unknown);
    }

    private static (ITokenizer, ITokenizer) BuildVocabularies(TokenizerConfig config, IParallelCorpus train)
    {
        var kind = config.Kind == TokenizerKind.Char ? VocabularyKind.Character : VocabularyKind.Word;
        var options = new VocabularyOptions(MaxSize: config.VocabularySize);
        Vocabulary Build(IEnumerable<string> lines) =>
            kind == VocabularyKind.Word ? VocabularyBuilder.Words(lines, options) : VocabularyBuilder.Characters(lines, options);
        if (config.Joint)
        {
            var joint = Build(train.Read().SelectMany(p => new[] { p.Source, p.Target }));
            return (joint, joint);
        }
        return (Build(train.Read().Select(p => p.Source)), Build(train.Read().Select(p => p.Target)));
    }

    private static (ITokenizer, ITokenizer) TrainSentencePiece(TokenizerConfig config, IParallelCorpus train, string workFolder, ulong seed)
    {
        Directory.CreateDirectory(workFolder);
        string sourceFile = Path.Combine(workFolder, $".tokenizer-source.{Guid.NewGuid():N}.txt");
        string targetFile = Path.Combine(workFolder, $".tokenizer-target.{Guid.NewGuid():N}.txt");
        try
        {
            using (var sourceWriter = new StreamWriter(sourceFile))
            using (var targetWriter = new StreamWriter(targetFile))
                foreach (var pair in train.Read())
                {
                    sourceWriter.WriteLine(pair.Source);
                    targetWriter.WriteLine(pair.Target);
                }
            var options = new SubwordTrainingOptions(
                VocabularySize: config.VocabularySize - 1,   // the appended <pad> makes it VocabularySize
                ModelType: config.Kind == TokenizerKind.Bpe ? SentencePieceModelType.Bpe : SentencePieceModelType.Unigram,
                CharacterCoverage: config.CharacterCoverage,
                InputSentenceSize: config.SampleSentences * (config.Joint ? 2 : 1),
                Seed: seed,
                Threads: Math.Max(1, Environment.ProcessorCount));
            if (config.Joint)
            {
                var joint = WithPad(SubwordTrainer.Train([sourceFile, targetFile], options).Model);
                return (joint, joint);
            }
            return (WithPad(SubwordTrainer.Train([sourceFile], options).Model), WithPad(SubwordTrainer.Train([targetFile], options).Model));
        }
        finally
        {
            File.Delete(sourceFile);
            File.Delete(targetFile);
        }
    }

    private static SentencePieceProcessor WithPad(SentencePieceModelProto model)
    {
        var pieces = model.Pieces.Append(new SentencePieceEntry("<pad>", 0f, SentencePieceType.Control)).ToList();
        var padded = model with { Pieces = pieces, TrainerSpec = model.TrainerSpec with { PadId = pieces.Count - 1, VocabularySize = pieces.Count } };
        return SentencePieceProcessor.FromBytes(SentencePieceModelWriter.Serialize(padded), "<trained>");
    }
}
