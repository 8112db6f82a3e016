namespace EncDec.Text;

/// <summary>The segmentation algorithm of a model (<c>TrainerSpec.ModelType</c> in sentencepiece_model.proto).</summary>
public enum SentencePieceModelType
{
    /// <summary>Unigram language model: the segmentation of highest total piece score (Viterbi).</summary>
    Unigram = 1,

    /// <summary>Byte-pair encoding: adjacent symbols merged by piece score, highest first.</summary>
    Bpe = 2,

    /// <summary>Whitespace-delimited words (not supported by <see cref="SentencePieceProcessor"/>).</summary>
    Word = 3,

    /// <summary>One piece per character (not supported by <see cref="SentencePieceProcessor"/>).</summary>
    Char = 4,
}
