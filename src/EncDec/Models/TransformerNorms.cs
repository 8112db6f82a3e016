using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// Creates and applies the norm a <see cref="TransformerConfig"/> asks for. The module itself (a
/// <see cref="LayerNorm"/> or an <see cref="RmsNorm"/>) is registered by the caller, so checkpoint names
/// stay <c>self_attn_layer_norm.weight</c> whichever kind it is.
/// </summary>
internal static class TransformerNorms
{
    /// <summary>A fresh (dModel) norm of the configured kind.</summary>
    public static Module Create(TransformerConfig config) => config.Norm == TransformerNormKind.RmsNorm
        ? new RmsNorm(config.DModel)
        : new LayerNorm(config.DModel);

    /// <summary>Applies a norm made by <see cref="Create"/>: (..., dModel) → (..., dModel).</summary>
    public static Tensor Apply(Module norm, Tensor x) => norm switch
    {
        LayerNorm layerNorm => layerNorm.Forward(x),
        RmsNorm rmsNorm => rmsNorm.Forward(x),
        _ => throw new ArgumentException($"TransformerNorms: {norm.GetType().Name} is not a norm", nameof(norm)),
    };
}
