namespace EncDec.Data;

/// <summary>One source sentence and its translation, with where it was read.</summary>
/// <param name="Source">The source sentence, without its line ending.</param>
/// <param name="Target">The target sentence, without its line ending.</param>
/// <param name="File">The file it was read from (the source file of a pair of files), or the description of an
/// in-memory corpus.</param>
/// <param name="Line">Its 1-based line number in that file (its 1-based position for an in-memory corpus).</param>
public readonly record struct SentencePair(string Source, string Target, string File, long Line);
