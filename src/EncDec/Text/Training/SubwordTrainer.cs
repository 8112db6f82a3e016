using System.Diagnostics;

namespace EncDec.Text.Training;

/// <summary>
/// Trains a SentencePiece vocabulary (unigram or BPE) on plain or gzip text files, reproducing SentencePiece
/// 0.1.97's <c>spm_train</c> with its default options, and returns the model, which
/// <see cref="SentencePieceModelWriter"/> saves as a <c>.model</c> file that both
/// <see cref="SentencePieceProcessor"/> and <c>spm_encode</c> load.
/// </summary>
/// <example><code>
/// var result = SubwordTrainer.Train(["train.en", "train.de"],
///     new SubwordTrainingOptions(VocabularySize: 8000, ModelType: SentencePieceModelType.Bpe));
/// SentencePieceModelWriter.Save(result.Model, "joint.model");
/// </code></example>
/// <remarks>
/// <para>Lines of all files are pooled, so passing a source and a target file trains a joint vocabulary. Ids 0, 1,
/// 2 are <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c> as spm_train gives them; there is no padding
/// piece; with byte fallback the 256 byte pieces follow.</para>
/// <para>On Multi30k (58,000 lines, 8,000 pieces) the models match spm_train's in 7,999 of 8,000 pieces for both
/// types, and their tokens per line agree to 0.003% (BPE) and 0.000% (unigram); see bench/tokenizer-training.sh.
/// Where this differs from spm_train: the normalisation rule is rebuilt from Unicode 14.0 data rather than an older
/// ICU's (<see cref="TrainingNormalization"/>; identical for characters both know); a line that is not UTF-8 is an
/// error, not read as U+FFFD; lines are sampled with this project's generator, so <c>InputSentenceSize</c> picks
/// other lines than spm_train's; and the unigram seed substrings are counted within words instead of with a suffix
/// array over the corpus, which gives the same substrings and counts.</para>
/// </remarks>
public static class SubwordTrainer
{
    /// <summary>Trains a vocabulary on the lines of <paramref name="files"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range, or no file is given.</exception>
    /// <exception cref="FileNotFoundException">An input file does not exist.</exception>
    /// <exception cref="InvalidDataException">An input line is not UTF-8, or a gzip file is corrupt.</exception>
    /// <exception cref="SubwordTrainingException">The data cannot give a model of this size.</exception>
    public static SubwordTrainingResult Train(IReadOnlyList<string> files, SubwordTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (files.Count == 0) throw new ArgumentException("no input file", nameof(files));
        options.Validate();
        var clock = Stopwatch.StartNew();

        var meta = MetaPieces(options);
        var normalizerSpec = TrainingNormalization.Spec;
        var normalizer = new SentencePieceNormalizer(normalizerSpec, treatWhitespaceAsSuffix: false, userDefined: null, TrainingNormalization.Name);
        var corpus = TrainingCorpus.Load(files, options, normalizer, [.. meta.Select(m => m.Piece)]);
        var validator = new PieceValidator(options.MaxPieceLength, options.SplitDigits);
        int learned = options.VocabularySize - meta.Count;
        var pieces = options.ModelType == SentencePieceModelType.Bpe
            ? BpeTrainer.Train(corpus, validator, learned)
            : UnigramTrainer.Train(corpus, validator, learned, options);
        if (pieces.Count < learned)
            throw new SubwordTrainingException(
                $"the data gives only {pieces.Count + meta.Count} pieces, fewer than the vocabulary size {options.VocabularySize}: "
                + $"use a size of at most {pieces.Count + meta.Count}, or more data");

        var entries = meta.Concat(pieces.Select(p => new SentencePieceEntry(CodePoints.ToText(p.Piece), p.Score, SentencePieceType.Normal)));
        var model = new SentencePieceModelProto(
            [.. entries],
            new SentencePieceTrainerSpec
            {
                ModelType = options.ModelType,
                VocabularySize = options.VocabularySize,
                ByteFallback = options.ByteFallback,
                SplitDigits = options.SplitDigits,
            },
            normalizerSpec,
            DenormalizerSpec: null);
        return new SubwordTrainingResult(model, corpus.Statistics, corpus.Alphabet.Count, clock.Elapsed);
    }

    private static List<SentencePieceEntry> MetaPieces(SubwordTrainingOptions options)
    {
        var spec = new SentencePieceTrainerSpec();
        var meta = new List<SentencePieceEntry>
        {
            new(spec.UnknownPiece, 0, SentencePieceType.Unknown),
            new(spec.BosPiece, 0, SentencePieceType.Control),
            new(spec.EosPiece, 0, SentencePieceType.Control),
        };
        if (options.ByteFallback)
            meta.AddRange(Enumerable.Range(0, 256).Select(b => new SentencePieceEntry(SentencePieceVocabulary.ByteToPiece((byte)b), 0, SentencePieceType.Byte)));
        return meta;
    }
}

/// <summary>What <see cref="SubwordTrainer.Train"/> produced.</summary>
/// <param name="Model">The trained model, ready for <see cref="SentencePieceModelWriter.Save"/>.</param>
/// <param name="Statistics">The lines read, skipped and trained on.</param>
/// <param name="AlphabetSize">The characters kept by the character coverage.</param>
/// <param name="Elapsed">The training time, reading included.</param>
public sealed record SubwordTrainingResult(SentencePieceModelProto Model, CorpusStatistics Statistics, int AlphabetSize, TimeSpan Elapsed);
