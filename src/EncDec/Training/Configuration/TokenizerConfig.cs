namespace EncDec.Training.Configuration;

/// <summary>Which subword or word tokenizer to learn before training, or which files to load (section <c>tokenizer</c>).</summary>
public enum TokenizerKind
{
    /// <summary>SentencePiece unigram language model, trained on the training data (the default).</summary>
    Unigram,

    /// <summary>SentencePiece BPE, trained on the training data.</summary>
    Bpe,

    /// <summary>Whitespace-separated words, the most frequent <c>vocabulary_size</c> kept.</summary>
    Word,

    /// <summary>Characters.</summary>
    Char,

    /// <summary>Existing tokenizer files given by <c>source</c> and <c>target</c> (SentencePiece .model or tokenizer.json).</summary>
    File,
}

/// <summary>The tokenizer(s) of a training run.</summary>
/// <param name="Kind">What to learn, or <see cref="TokenizerKind.File"/> to load existing files.</param>
/// <param name="VocabularySize">Pieces (or words) per vocabulary, special tokens included.</param>
/// <param name="Joint">One vocabulary over both languages (needed to tie source and target embeddings).</param>
/// <param name="Source">With <see cref="TokenizerKind.File"/>: the source tokenizer file.</param>
/// <param name="Target">With <see cref="TokenizerKind.File"/>: the target tokenizer file (defaults to <paramref name="Source"/>).</param>
/// <param name="CharacterCoverage">SentencePiece character coverage (1.0 keeps every character).</param>
/// <param name="SampleSentences">Train the tokenizer on a seeded sample of at most this many lines per side (0: all).</param>
public sealed record TokenizerConfig(
    TokenizerKind Kind = TokenizerKind.Unigram,
    int VocabularySize = 8000,
    bool Joint = true,
    string? Source = null,
    string? Target = null,
    double CharacterCoverage = 1.0,
    int SampleSentences = 0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming an inconsistent field.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"unknown tokenizer kind {Kind}");
        if (Kind == TokenizerKind.File && Source is null) throw new ArgumentException("kind file needs 'source' (and optionally 'target') tokenizer paths");
        if (Kind != TokenizerKind.File && (Source is not null || Target is not null))
            throw new ArgumentException($"'source'/'target' tokenizer files are only read with kind file, not {Kind}");
        if (Kind != TokenizerKind.File && VocabularySize < 8)
            throw new ArgumentException($"vocabulary_size {VocabularySize} is too small");
        if (!(CharacterCoverage >= 0.98 && CharacterCoverage <= 1.0))
            throw new ArgumentException($"character_coverage {CharacterCoverage} is outside [0.98, 1]");
        if (SampleSentences < 0) throw new ArgumentException($"sample_sentences {SampleSentences} is negative");
    }
}
