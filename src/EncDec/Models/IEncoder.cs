using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>Reads a whole (padded) source batch into contextual states. Any encoder pairs with any decoder.</summary>
public interface IEncoder
{
    /// <summary>Width of <see cref="EncoderOutput.Memory"/>.</summary>
    int OutputDim { get; }

    /// <summary>Encodes a batch.</summary>
    /// <param name="sourceIds">(batch, srcLen) token ids, padded on the right.</param>
    /// <param name="paddingMask">(batch, srcLen): 1 at padding, 0 at real tokens.</param>
    EncoderOutput Encode(IntTensor sourceIds, Tensor paddingMask);
}
