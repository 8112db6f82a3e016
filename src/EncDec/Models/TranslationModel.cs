using EncDec.Text;

namespace EncDec.Models;

/// <summary>
/// Everything needed to turn source text into target text: the network, its configuration, the source and
/// target tokenizers (the same instance for a shared vocabulary) and the special ids. Loaded from an EncDec
/// model folder or converted from another toolkit's model (CTranslate2).
/// </summary>
/// <param name="Model">The encoder-decoder network, in evaluation mode for inference.</param>
/// <param name="Config">The architecture it was built from.</param>
/// <param name="SourceTokenizer">Source text to ids; its vocabulary size equals <see cref="ModelConfig.SourceVocabulary"/>.</param>
/// <param name="TargetTokenizer">Target ids to text; its vocabulary size equals <see cref="ModelConfig.TargetVocabulary"/>.</param>
/// <param name="Ids">Pad, start, end and unknown ids of the target side (and pad of the source side).</param>
/// <param name="AppendSourceEnd">Whether the end id is appended to every source sentence, as the model was trained.</param>
public sealed record TranslationModel(
    EncoderDecoderModel Model,
    ModelConfig Config,
    ITokenizer SourceTokenizer,
    ITokenizer TargetTokenizer,
    SpecialIds Ids,
    bool AppendSourceEnd = true)
{
    /// <summary>Longest source (in tokens, end id included) the positional encodings cover; int.MaxValue for RNNs.</summary>
    public int MaxSourceLength => Config.Transformer?.MaxLength ?? int.MaxValue;

    /// <summary>Longest target the positional encodings cover; int.MaxValue for RNNs.</summary>
    public int MaxTargetLength => Config.Transformer?.MaxLength ?? int.MaxValue;
}
