using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// Generates target tokens given an encoder's output. Two ways to run it must agree: teacher-forced
/// <see cref="Forward"/> over a whole target prefix (training), and <see cref="Start"/> followed by
/// one <see cref="Step"/> per token (inference, with caches); step t's logits equal Forward's logits
/// at position t.
/// </summary>
public interface IDecoder
{
    /// <summary>Size of the output vocabulary (the last dimension of the logits).</summary>
    int VocabularySize { get; }

    /// <summary>Width of <see cref="EncoderOutput.Memory"/> this decoder expects: memory is (batch, srcLen, MemoryDim).</summary>
    int MemoryDim { get; }

    /// <summary>Teacher-forced logits for every position of <paramref name="targetInput"/>.</summary>
    /// <param name="targetInput">(batch, tgtLen) ids, starting with the start token, padded on the right.</param>
    /// <param name="encoded">The encoder's output for the same batch.</param>
    /// <returns>(batch, tgtLen, vocab) logits; position t predicts token t + 1.</returns>
    Tensor Forward(IntTensor targetInput, EncoderOutput encoded);

    /// <summary>A fresh state for incremental decoding; computes what depends only on the encoder output once.</summary>
    IDecoderState Start(EncoderOutput encoded);

    /// <summary>Feeds one token per row and advances the state.</summary>
    /// <param name="tokens">(batch) the previous tokens (the start token first).</param>
    /// <param name="state">The state from <see cref="Start"/> or the previous step; advanced in place.</param>
    /// <returns>(batch, vocab) logits for the next token.</returns>
    Tensor Step(IntTensor tokens, IDecoderState state);
}
