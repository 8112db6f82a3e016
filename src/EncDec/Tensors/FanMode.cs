namespace EncDec.Tensors;

/// <summary>Which fan Kaiming initialisation preserves the variance of (PyTorch's <c>mode</c>).</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass (divide by fan_in).</summary>
    FanIn,

    /// <summary>Preserve the variance of gradients in the backward pass (divide by fan_out).</summary>
    FanOut,
}
