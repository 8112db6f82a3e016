namespace EncDec.Tensors;

/// <summary>The activation that follows a layer, which sets the initialisation gain (PyTorch's <c>calculate_gain</c>).</summary>
public enum Nonlinearity
{
    /// <summary>No activation (also linear and convolution layers): gain 1.</summary>
    Linear,

    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>Tanh: gain 5/3.</summary>
    Tanh,

    /// <summary>ReLU: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU with negative slope a: gain √(2 / (1 + a²)).</summary>
    LeakyRelu,

    /// <summary>SELU: gain 3/4.</summary>
    Selu,
}
