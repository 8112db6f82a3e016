namespace EncDec.Text.Training;

/// <summary>
/// How <see cref="SubwordTrainer"/> builds a vocabulary; the defaults are <c>spm_train</c>'s (SentencePiece 0.1.97,
/// trainer_spec in sentencepiece_model.proto), so the same size and type give a comparable model.
/// </summary>
/// <param name="VocabularySize">Pieces in the model, including <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c> and
/// <c>&lt;/s&gt;</c> (and the 256 byte pieces with <paramref name="ByteFallback"/>).</param>
/// <param name="ModelType">Unigram language model or BPE (WORD and CHAR are not trained here).</param>
/// <param name="CharacterCoverage">The share of character occurrences the alphabet must cover, most frequent
/// first; the rest become unknown. 0.9995 suits alphabetic languages, 1.0 keeps every character. spm_train
/// accepts 0.98 to 1.</param>
/// <param name="MaxSentenceLength">Lines longer than this many UTF-8 bytes are skipped, as spm_train does.</param>
/// <param name="InputSentenceSize">Train on a random sample of at most this many lines (0: all lines).</param>
/// <param name="Seed">Seeds the sampling of <paramref name="InputSentenceSize"/> lines; nothing else is random.</param>
/// <param name="MaxPieceLength">The longest piece, in characters.</param>
/// <param name="ByteFallback">Add the 256 byte pieces <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>, so unknown
/// characters encode as their UTF-8 bytes.</param>
/// <param name="SplitDigits">Keep every digit a piece of its own.</param>
/// <param name="Threads">Threads for normalisation and the unigram EM; the model does not depend on it.</param>
/// <param name="SeedPieceCount">Unigram: how many frequent substrings seed the EM (more than the vocabulary).</param>
/// <param name="ShrinkingFactor">Unigram: the share of pieces each pruning round keeps.</param>
/// <param name="SubIterations">Unigram: EM iterations between two pruning rounds.</param>
public sealed record SubwordTrainingOptions(
    int VocabularySize = 8000,
    SentencePieceModelType ModelType = SentencePieceModelType.Unigram,
    double CharacterCoverage = 0.9995,
    int MaxSentenceLength = 4192,
    int InputSentenceSize = 0,
    ulong Seed = 12345678,
    int MaxPieceLength = 16,
    bool ByteFallback = false,
    bool SplitDigits = false,
    int Threads = 1,
    int SeedPieceCount = 1_000_000,
    double ShrinkingFactor = 0.75,
    int SubIterations = 2)
{
    /// <summary>The number of pieces the trainer adds before learning any: unknown, BOS, EOS, and the byte pieces.</summary>
    public int MetaPieceCount => 3 + (ByteFallback ? 256 : 0);

    /// <summary>Checks every option against the ranges spm_train accepts.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (ModelType is not (SentencePieceModelType.Unigram or SentencePieceModelType.Bpe))
            throw new ArgumentException($"model type {ModelType} cannot be trained: use Unigram or Bpe", nameof(ModelType));
        if (VocabularySize <= MetaPieceCount)
            throw new ArgumentException(
                $"vocabulary size {VocabularySize} leaves no room beside the {MetaPieceCount} special pieces", nameof(VocabularySize));
        if (!(CharacterCoverage >= 0.98 && CharacterCoverage <= 1.0))
            throw new ArgumentException($"character coverage {CharacterCoverage} is outside [0.98, 1]", nameof(CharacterCoverage));
        if (MaxSentenceLength is < 10 or > 1 << 30)
            throw new ArgumentException($"maximum sentence length {MaxSentenceLength} is outside [10, 2^30] bytes", nameof(MaxSentenceLength));
        if (InputSentenceSize is < 0 or (> 0 and <= 100))
            throw new ArgumentException($"input sentence size {InputSentenceSize} must be 0 (all lines) or above 100", nameof(InputSentenceSize));
        if (MaxPieceLength is < 1 or > 512)
            throw new ArgumentException($"maximum piece length {MaxPieceLength} is outside [1, 512]", nameof(MaxPieceLength));
        if (Threads is < 1 or > 1024)
            throw new ArgumentException($"thread count {Threads} is outside [1, 1024]", nameof(Threads));
        if (ModelType == SentencePieceModelType.Unigram && SeedPieceCount <= VocabularySize)
            throw new ArgumentException($"seed piece count {SeedPieceCount} must exceed the vocabulary size {VocabularySize}", nameof(SeedPieceCount));
        if (!(ShrinkingFactor >= 0.5 && ShrinkingFactor <= 0.95))
            throw new ArgumentException($"shrinking factor {ShrinkingFactor} is outside [0.5, 0.95]", nameof(ShrinkingFactor));
        if (SubIterations is < 1 or > 10)
            throw new ArgumentException($"sub-iteration count {SubIterations} is outside [1, 10]", nameof(SubIterations));
    }
}
