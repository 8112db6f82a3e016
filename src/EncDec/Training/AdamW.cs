using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// AdamW (torch.optim.AdamW): <see cref="Adam"/> with decoupled weight decay, p ← p·(1 − lr·λ)
/// before the Adam update, so the decay is not rescaled by the adaptive denominator.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>An AdamW optimiser; the defaults are PyTorch's (λ = 0.01).</summary>
    /// <param name="parameters">The tensors to update (contiguous, RequiresGrad).</param>
    /// <param name="learningRate">Step size lr.</param>
    /// <param name="beta1">Decay β₁ of the first-moment average.</param>
    /// <param name="beta2">Decay β₂ of the second-moment average.</param>
    /// <param name="epsilon">ε added to the bias-corrected √v.</param>
    /// <param name="weightDecay">Decoupled decay λ.</param>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true)
    {
    }
}
