namespace EncDec.Text;

/// <summary>One piece of a segmentation: a span of the normalised UTF-8 text and the id it was given.</summary>
/// <param name="Start">Byte offset in the normalised text.</param>
/// <param name="Length">Byte length.</param>
/// <param name="Id">The piece id (the unknown id for text outside the vocabulary).</param>
internal readonly record struct Segment(int Start, int Length, int Id);

/// <summary>Splits normalised text into pieces, as a SentencePiece model type does.</summary>
internal interface ISegmenter
{
    /// <summary>The pieces of <paramref name="normalized"/>, in order, covering it exactly.</summary>
    List<Segment> Split(ReadOnlySpan<byte> normalized);
}
