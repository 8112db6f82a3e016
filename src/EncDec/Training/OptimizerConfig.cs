using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// Which optimiser to train with and its hyperparameters. Each optimiser reads only its own fields:
/// <c>sgd</c> (LearningRate, Momentum, Nesterov, WeightDecay as L2), <c>adam</c> (Beta1, Beta2, Epsilon,
/// WeightDecay as L2 in the gradient), <c>adamw</c> (the same with decoupled decay) and <c>adafactor</c>
/// (Beta1 with 0 for none, WeightDecay, ClipThreshold, Decay, FactorSecondMoment, RelativeStep,
/// ScaleParameter, WarmupInit and the two epsilons). The defaults are the Transformer-base recipe
/// (Vaswani et al. 2017 / fairseq): Adam, β = (0.9, 0.98), ε = 1e-9.
/// </summary>
/// <param name="Name">sgd | adam | adamw | adafactor.</param>
/// <param name="LearningRate">Peak step size; a schedule scales it per step (ignored by Adafactor with RelativeStep).</param>
/// <param name="Beta1">First-moment decay (Adam, AdamW, Adafactor; 0 gives Adafactor no first moment).</param>
/// <param name="Beta2">Second-moment decay (Adam, AdamW).</param>
/// <param name="Epsilon">ε added to Adam's √v̂.</param>
/// <param name="WeightDecay">λ: L2 in the gradient for sgd and adam, decoupled for adamw and adafactor.</param>
/// <param name="Momentum">SGD momentum μ (0 turns it off).</param>
/// <param name="Nesterov">SGD Nesterov momentum.</param>
/// <param name="FactorSecondMoment">Adafactor: factor the second moment of parameters of rank ≥ 2.</param>
/// <param name="ClipThreshold">Adafactor: the update's RMS is clipped to this.</param>
/// <param name="Decay">Adafactor: exponent of β̂₂ = 1 − t^Decay, in [−1, 0).</param>
/// <param name="RelativeStep">Adafactor: time-dependent step size min(1e-2, 1/√t) instead of LearningRate.</param>
/// <param name="ScaleParameter">Adafactor: scale the step size by the parameter's RMS.</param>
/// <param name="WarmupInit">Adafactor with RelativeStep: relative step min(1e-6·t, 1/√t).</param>
/// <param name="SquaredGradientEpsilon">Adafactor ε₁ added to g².</param>
/// <param name="ParameterScaleEpsilon">Adafactor ε₂, the smallest parameter scale.</param>
public sealed record OptimizerConfig(string Name = "adam", float LearningRate = 5e-4f, float Beta1 = 0.9f,
    float Beta2 = 0.98f, float Epsilon = 1e-9f, float WeightDecay = 0f, float Momentum = 0.9f, bool Nesterov = false,
    bool FactorSecondMoment = true, float ClipThreshold = 1f, float Decay = -0.8f, bool RelativeStep = false,
    bool ScaleParameter = true, bool WarmupInit = false, float SquaredGradientEpsilon = 1e-30f, float ParameterScaleEpsilon = 1e-3f)
{
    /// <summary>The optimiser names <see cref="Name"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Sgd.Kind, "adam", "adamw", Adafactor.Kind];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!Names.Contains(Name)) throw Invalid(nameof(Name), Name, $"must be one of {string.Join(", ", Names)}");
        Require(LearningRate > 0 && float.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive and finite");
        Require(WeightDecay >= 0 && float.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "must be non-negative and finite");
        if (Name == Sgd.Kind)
        {
            Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
            if (Nesterov && Momentum == 0) throw Invalid(nameof(Nesterov), Nesterov, "needs a positive Momentum");
        }
        else if (Name == Adafactor.Kind)
        {
            ValidateAdafactor();
        }
        else
        {
            Require(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1, "must be in [0, 1)");
            Require(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), Beta2, "must be in [0, 1)");
            Require(Epsilon >= 0 && float.IsFinite(Epsilon), nameof(Epsilon), Epsilon, "must be non-negative and finite");
        }
    }

    /// <summary>The optimiser this configuration names, over <paramref name="parameters"/> in that order.</summary>
    /// <param name="parameters">The tensors to train (contiguous, RequiresGrad).</param>
    public IOptimizer Create(IReadOnlyList<Tensor> parameters)
    {
        Validate();
        return Name switch
        {
            Sgd.Kind => new Sgd(parameters, LearningRate, Momentum, WeightDecay, Nesterov),
            "adam" => new Adam(parameters, LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
            "adamw" => new AdamW(parameters, LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
            _ => new Adafactor(parameters, LearningRate, Beta1, WeightDecay, ClipThreshold, Decay, SquaredGradientEpsilon,
                ParameterScaleEpsilon, FactorSecondMoment, ScaleParameter, RelativeStep, WarmupInit),
        };
    }

    private void ValidateAdafactor()
    {
        Require(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1, "must be in [0, 1) (0 for no first moment)");
        Require(ClipThreshold > 0 && float.IsFinite(ClipThreshold), nameof(ClipThreshold), ClipThreshold, "must be positive and finite");
        Require(Decay >= -1 && Decay < 0, nameof(Decay), Decay, "must be in [-1, 0)");
        Require(SquaredGradientEpsilon > 0 && float.IsFinite(SquaredGradientEpsilon), nameof(SquaredGradientEpsilon),
            SquaredGradientEpsilon, "must be positive and finite");
        Require(ParameterScaleEpsilon >= 0 && float.IsFinite(ParameterScaleEpsilon), nameof(ParameterScaleEpsilon),
            ParameterScaleEpsilon, "must be non-negative and finite");
        if (WarmupInit && !RelativeStep) throw Invalid(nameof(WarmupInit), WarmupInit, "needs RelativeStep");
    }

    private static void Require(bool ok, string field, float value, string rule)
    {
        if (!ok) throw Invalid(field, value, rule);
    }

    private static ArgumentException Invalid(string field, object value, string rule) =>
        new($"optimizer {field} = {value} {rule}", field);
}
