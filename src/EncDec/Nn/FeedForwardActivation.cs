namespace EncDec.Nn;

/// <summary>The nonlinearity of a <see cref="FeedForward"/> block, and whether it is gated.</summary>
public enum FeedForwardActivation
{
    /// <summary>ReLU (Vaswani, T5 v1.0, Marian).</summary>
    Relu,

    /// <summary>Exact GELU, ½x(1 + erf(x/√2)) (BART, mBART).</summary>
    Gelu,

    /// <summary>Tanh-approximated GELU (Hugging Face "gelu_new").</summary>
    GeluTanh,

    /// <summary>SiLU / swish, x·σ(x).</summary>
    Silu,

    /// <summary>Gated: GELU(wi_0 x) ⊙ (wi_1 x). Uses the tanh approximation, as Hugging Face's T5
    /// "gated-gelu" (T5 v1.1, Flan-T5) maps to "gelu_new".</summary>
    GatedGelu,

    /// <summary>Gated: SiLU(wi_0 x) ⊙ (wi_1 x) (SwiGLU).</summary>
    GatedSilu,
}
