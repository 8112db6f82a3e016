namespace EncDec.Text;

/// <summary>How a <see cref="Vocabulary"/> cuts text into tokens.</summary>
public enum VocabularyKind
{
    /// <summary>Words: text is split at runs of whitespace, which are dropped; decoding joins tokens with one space.</summary>
    Word,

    /// <summary>Characters (Unicode scalar values, so an emoji is one token), whitespace included; decoding concatenates.</summary>
    Character,
}
