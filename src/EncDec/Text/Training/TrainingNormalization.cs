namespace EncDec.Text.Training;

/// <summary>
/// The text normalisation of trained models: SentencePiece's default rule <c>nmt_nfkc</c>, rebuilt from Unicode data
/// (<see cref="NfkcRuleBuilder"/>) and compiled into the model, so that every encoder, ours or <c>spm_encode</c>,
/// normalises as training did.
/// </summary>
/// <remarks>
/// NFKC folds compatibility characters ("ﬁ" to "fi", fullwidth "Ａ" to "A", "①" to "1") and composes accents;
/// the NMT additions delete control characters and make tabs, line breaks and the Unicode spaces plain spaces.
/// Spaces are then trimmed and collapsed, a dummy space is put in front, and spaces are written as "▁", as
/// spm_train's defaults do. The rule is built once per process (about a second) and written into every model.
/// </remarks>
internal static class TrainingNormalization
{
    /// <summary>The rule's name in the model's normaliser spec, as spm_train writes it.</summary>
    public const string Name = "nmt_nfkc";

    private static readonly Lazy<byte[]> CharsMap = new(() => PrecompiledCharsMapBuilder.Build(NfkcRuleBuilder.NmtNfkc()));

    /// <summary>The normaliser spec written into a trained model.</summary>
    public static SentencePieceNormalizerSpec Spec => new() { Name = Name, PrecompiledCharsMap = CharsMap.Value };
}
