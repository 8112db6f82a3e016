using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// Adafactor (Shazeer and Stern 2018, "Adaptive Learning Rates with Sublinear Memory Cost") as Hugging Face
/// transformers' <c>Adafactor</c> computes it. Per parameter, at step t (counted per parameter):
/// β̂₂ = 1 − t^decay; u = g² + ε₁; for a parameter of rank ≥ 2 the second moment is kept factored over its
/// last two dimensions (rows R, columns C): r ← β̂₂·r + (1 − β̂₂)·mean_C(u), c ← β̂₂·c + (1 − β̂₂)·mean_R(u),
/// v̂ = r·cᵀ / mean(r); otherwise v ← β̂₂·v + (1 − β̂₂)·u. Then U = g / √v̂, U ← U / max(1, RMS(U) / d)
/// with clip threshold d, ρ = (relative step ? min(1e-2 or 1e-6·t with warm-up init, 1/√t) : lr), scaled by
/// max(ε₂, RMS(p)) when <see cref="ScaleParameter"/>; U ← ρ·U; with β₁ &gt; 0, m ← β₁·m + (1 − β₁)·U and U = m;
/// p ← p·(1 − λ·ρ) − U. Buffers are allocated on a parameter's first step, so later steps allocate nothing.
/// </summary>
public sealed class Adafactor : IOptimizer
{
    /// <summary>The <see cref="OptimizerState.Kind"/> this optimiser exports.</summary>
    public const string Kind = "adafactor";

    private readonly Tensor[] _parameters;
    private readonly AdafactorSlot?[] _slots;
    private readonly long[] _steps;

    /// <summary>An Adafactor optimiser over <paramref name="parameters"/> (contiguous tensors with RequiresGrad).</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">External step size; ignored when <paramref name="relativeStep"/>.</param>
    /// <param name="beta1">First-moment decay β₁ in [0, 1); 0 keeps no first moment (Hugging Face's beta1=None).</param>
    /// <param name="weightDecay">λ: p ← p·(1 − λ·ρ).</param>
    /// <param name="clipThreshold">d: the update's RMS is clipped to at most d.</param>
    /// <param name="decayRate">Exponent of β̂₂ = 1 − t^decay, in [−1, 0).</param>
    /// <param name="squaredGradientEpsilon">ε₁ added to g² (Hugging Face's eps[0]).</param>
    /// <param name="parameterScaleEpsilon">ε₂, the smallest parameter scale (Hugging Face's eps[1]).</param>
    /// <param name="factorSecondMoment">Factor the second moment of parameters of rank ≥ 2 (Adafactor's point; off gives a full v).</param>
    /// <param name="scaleParameter">Scale the step size by the parameter's RMS.</param>
    /// <param name="relativeStep">Use the time-dependent step size min(1e-2, 1/√t) instead of <paramref name="learningRate"/>.</param>
    /// <param name="warmupInit">With <paramref name="relativeStep"/>: min(1e-6·t, 1/√t), a built-in warm-up.</param>
    public Adafactor(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0f, float weightDecay = 0f,
        float clipThreshold = 1f, float decayRate = -0.8f, float squaredGradientEpsilon = 1e-30f, float parameterScaleEpsilon = 1e-3f,
        bool factorSecondMoment = true, bool scaleParameter = true, bool relativeStep = false, bool warmupInit = false)
    {
        _parameters = OptimizerParameters.Checked(parameters);
        OptimizerParameters.CheckLearningRate(learningRate);
        CheckRange(beta1 >= 0 && beta1 < 1, nameof(beta1), beta1, "must be in [0, 1)");
        CheckRange(weightDecay >= 0 && float.IsFinite(weightDecay), nameof(weightDecay), weightDecay, "must be non-negative and finite");
        CheckRange(clipThreshold > 0 && float.IsFinite(clipThreshold), nameof(clipThreshold), clipThreshold, "must be positive and finite");
        CheckRange(decayRate >= -1 && decayRate < 0, nameof(decayRate), decayRate, "must be in [-1, 0)");
        CheckRange(squaredGradientEpsilon > 0 && float.IsFinite(squaredGradientEpsilon), nameof(squaredGradientEpsilon), squaredGradientEpsilon, "must be positive and finite");
        CheckRange(parameterScaleEpsilon >= 0 && float.IsFinite(parameterScaleEpsilon), nameof(parameterScaleEpsilon), parameterScaleEpsilon, "must be non-negative and finite");
        if (warmupInit && !relativeStep) throw new ArgumentException("warmupInit needs relativeStep", nameof(warmupInit));
        _slots = new AdafactorSlot?[_parameters.Length];
        _steps = new long[_parameters.Length];
        LearningRate = learningRate;
        Beta1 = beta1;
        WeightDecay = weightDecay;
        ClipThreshold = clipThreshold;
        DecayRate = decayRate;
        SquaredGradientEpsilon = squaredGradientEpsilon;
        ParameterScaleEpsilon = parameterScaleEpsilon;
        FactorSecondMoment = factorSecondMoment;
        ScaleParameter = scaleParameter;
        RelativeStep = relativeStep;
        WarmupInit = warmupInit;
    }

    /// <summary>External step size; ignored when <see cref="RelativeStep"/>.</summary>
    public float LearningRate { get; set; }

    /// <summary>First-moment decay β₁; 0 keeps no first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Weight decay λ, scaled by the step size ρ.</summary>
    public float WeightDecay { get; }

    /// <summary>Clip threshold d on the update's RMS.</summary>
    public float ClipThreshold { get; }

    /// <summary>Exponent of the second-moment decay β̂₂ = 1 − t^decay.</summary>
    public float DecayRate { get; }

    /// <summary>ε₁ added to the squared gradient.</summary>
    public float SquaredGradientEpsilon { get; }

    /// <summary>ε₂: the parameter scale is at least this.</summary>
    public float ParameterScaleEpsilon { get; }

    /// <summary>Whether parameters of rank ≥ 2 keep a factored second moment.</summary>
    public bool FactorSecondMoment { get; }

    /// <summary>Whether the step size is scaled by the parameter's RMS.</summary>
    public bool ScaleParameter { get; }

    /// <summary>Whether the step size is the time-dependent min(1e-2, 1/√t).</summary>
    public bool RelativeStep { get; }

    /// <summary>Whether the relative step warms up as 1e-6·t.</summary>
    public bool WarmupInit { get; }

    /// <summary>Updates every parameter that has a gradient; each parameter counts its own steps.</summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.Grad is null) continue;
            var slot = _slots[i] ??= AdafactorSlot.Create(parameter.Shape, IsFactored(parameter), Beta1 > 0);
            Update(parameter.AsSpan(), parameter.Grad.AsSpan(), slot, ++_steps[i]);
        }
    }

    /// <inheritdoc />
    public void ZeroGrad() => OptimizerParameters.ZeroGrad(_parameters);

    /// <summary>Counter <c>{i}.step</c> and buffers <c>{i}.exp_avg_sq_row</c>/<c>{i}.exp_avg_sq_col</c> (factored)
    /// or <c>{i}.exp_avg_sq</c>, plus <c>{i}.exp_avg</c> when β₁ &gt; 0, for parameters that have stepped.</summary>
    public OptimizerState ExportState()
    {
        var buffers = new Dictionary<string, float[]>();
        var counters = new Dictionary<string, long>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_steps[i] == 0) continue;
            counters[OptimizerState.Key(i, "step")] = _steps[i];
            foreach (var (name, values) in _slots[i]!.Buffers())
                buffers[OptimizerState.Key(i, name)] = (float[])values.Clone();
        }
        return new OptimizerState(Kind, buffers, counters);
    }

    /// <inheritdoc />
    public void ImportState(OptimizerState state)
    {
        var reader = new OptimizerStateReader(state, Kind, _parameters);
        var steps = new long[_parameters.Length];
        var slots = new AdafactorSlot?[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            steps[i] = reader.Counter(i, "step");
            if (steps[i] == 0) continue;
            var slot = slots[i] = AdafactorSlot.Create(_parameters[i].Shape, IsFactored(_parameters[i]), Beta1 > 0);
            foreach (var (name, values) in slot.Buffers())
                reader.Buffer(i, name, values.Length, required: true)!.CopyTo(values, 0);
        }
        reader.EnsureAllRead();
        steps.CopyTo(_steps, 0);
        slots.CopyTo(_slots, 0);
    }

    /// <summary>The step size ρ for a parameter at step <paramref name="step"/> with RMS <paramref name="parameterRms"/>.</summary>
    public double StepSize(long step, double parameterRms)
    {
        double size = LearningRate;
        if (RelativeStep) size = Math.Min(WarmupInit ? 1e-6 * step : 1e-2, 1.0 / Math.Sqrt(step));
        return ScaleParameter ? size * Math.Max(ParameterScaleEpsilon, parameterRms) : size;
    }

    private bool IsFactored(Tensor parameter) => FactorSecondMoment && parameter.Rank >= 2;

    private void Update(Span<float> p, ReadOnlySpan<float> grad, AdafactorSlot slot, long step)
    {
        double stepSize = StepSize(step, Rms(p));
        float beta2 = (float)(1.0 - Math.Pow(step, DecayRate));
        var update = slot.Update;
        TensorPrimitives.Multiply(grad, grad, update);
        TensorPrimitives.Add(update, SquaredGradientEpsilon, update);           // u = g² + ε₁
        if (slot.IsFactored) slot.FactoredPreconditioner(update, grad, beta2);
        else
        {
            var v = slot.SecondMoment!;
            TensorPrimitives.Multiply(v, beta2, v);
            TensorPrimitives.MultiplyAdd(update, 1f - beta2, v, v);
            TensorPrimitives.ReciprocalSqrt(v, update);
            TensorPrimitives.Multiply(update, grad, update);                  // U = g / √v
        }
        double clip = Math.Max(1.0, Rms(update) / ClipThreshold);
        TensorPrimitives.Multiply(update, (float)(stepSize / clip), update);    // U ← ρ·U / max(1, RMS(U)/d)
        ReadOnlySpan<float> delta = update;
        if (slot.FirstMoment is { } m)
        {
            TensorPrimitives.Multiply(m, Beta1, m);
            TensorPrimitives.MultiplyAdd(update, 1f - Beta1, m, m);
            delta = m;
        }
        if (WeightDecay != 0f) TensorPrimitives.Multiply(p, (float)(1.0 - WeightDecay * stepSize), p);
        TensorPrimitives.Subtract(p, delta, p);
    }

    private static double Rms(ReadOnlySpan<float> values) =>
        values.Length == 0 ? 0 : Math.Sqrt(GradientClipping.SumOfSquares(values) / values.Length);

    private static void CheckRange(bool ok, string name, float value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
    }
}
