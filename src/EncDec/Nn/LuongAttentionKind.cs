namespace EncDec.Nn;

/// <summary>The score functions of Luong et al. 2015, §3.1.</summary>
public enum LuongAttentionKind
{
    /// <summary>score = sᵀ h_j (query and key sizes must be equal).</summary>
    Dot,

    /// <summary>score = sᵀ W_a h_j.</summary>
    General,

    /// <summary>score = vᵀ tanh(W [s; h_j]).</summary>
    Concat,
}
