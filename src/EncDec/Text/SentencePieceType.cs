namespace EncDec.Text;

/// <summary>The type of a vocabulary piece (<c>ModelProto.SentencePiece.Type</c> in sentencepiece_model.proto).</summary>
public enum SentencePieceType
{
    /// <summary>An ordinary piece that segmentation may produce.</summary>
    Normal = 1,

    /// <summary>The unknown piece (<c>&lt;unk&gt;</c>); exactly one per model.</summary>
    Unknown = 2,

    /// <summary>A control symbol such as <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c>: never produced from text, invisible when decoded.</summary>
    Control = 3,

    /// <summary>A user-defined symbol: always kept whole when it occurs in the text, and never normalised.</summary>
    UserDefined = 4,

    /// <summary>A piece the model keeps in its vocabulary but never produces.</summary>
    Unused = 5,

    /// <summary>A byte piece <c>&lt;0xXX&gt;</c>, used for characters outside the vocabulary when byte fallback is on.</summary>
    Byte = 6,
}
