namespace EncDec.Operations;

/// <summary>Which form of GELU to compute (PyTorch's <c>approximate</c> argument).</summary>
public enum GeluApproximation
{
    /// <summary>The exact form ½x(1 + erf(x/√2)) (BERT, T5 v1.1 "gelu").</summary>
    None = 0,
    /// <summary>The tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (GPT-2, "gelu_new").</summary>
    Tanh = 1,
}
