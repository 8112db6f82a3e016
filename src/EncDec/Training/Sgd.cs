using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
/// torch.optim.SGD (no dampening): d ← grad + λ·p; b ← μ·b + d (b = d at the first step);
/// d ← d + μ·b with Nesterov, else d ← b; p ← p − lr·d. The gradient tensors are never modified.
/// Momentum and scratch buffers are allocated on a parameter's first step, so later steps allocate nothing.
/// </summary>
public sealed class Sgd : IOptimizer
{
    /// <summary>The <see cref="OptimizerState.Kind"/> this optimiser exports.</summary>
    public const string Kind = "sgd";

    private readonly Tensor[] _parameters;
    private readonly float[]?[] _velocity;
    private readonly float[]?[] _scratch;

    /// <summary>An optimiser over <paramref name="parameters"/> (contiguous tensors with RequiresGrad).</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">Step size lr.</param>
    /// <param name="momentum">Momentum factor μ in [0, 1); 0 turns momentum off.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0).</param>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float weightDecay = 0f, bool nesterov = false)
    {
        _parameters = OptimizerParameters.Checked(parameters);
        OptimizerParameters.CheckLearningRate(learningRate);
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1)");
        if (!(weightDecay >= 0) || !float.IsFinite(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be non-negative and finite");
        if (nesterov && momentum == 0f)
            throw new ArgumentException("Nesterov momentum needs a positive momentum", nameof(nesterov));
        _velocity = new float[]?[_parameters.Length];
        _scratch = new float[]?[_parameters.Length];
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    /// <inheritdoc />
    public float LearningRate { get; set; }

    /// <summary>Momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>L2 penalty λ added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.Grad is null) continue;
            var values = parameter.AsSpan();
            ReadOnlySpan<float> direction = parameter.Grad.AsSpan();
            if (WeightDecay != 0f || Nesterov)
            {
                var scratch = _scratch[i] ??= new float[values.Length];
                if (WeightDecay != 0f)
                {
                    TensorPrimitives.MultiplyAdd(values, WeightDecay, direction, scratch);   // grad + λ·p
                    direction = scratch;
                }
                if (Momentum != 0f) direction = ApplyMomentum(i, direction, scratch);
            }
            else if (Momentum != 0f)
            {
                direction = ApplyMomentum(i, direction, default);
            }
            TensorPrimitives.MultiplyAdd(direction, -LearningRate, values, values);
        }
    }

    /// <inheritdoc />
    public void ZeroGrad() => OptimizerParameters.ZeroGrad(_parameters);

    /// <summary>Buffers <c>{i}.momentum_buffer</c> for parameters that have stepped with momentum.</summary>
    public OptimizerState ExportState()
    {
        var buffers = new Dictionary<string, float[]>();
        for (int i = 0; i < _parameters.Length; i++)
            if (_velocity[i] is { } velocity) buffers[OptimizerState.Key(i, "momentum_buffer")] = (float[])velocity.Clone();
        return new OptimizerState(Kind, buffers, new Dictionary<string, long>());
    }

    /// <inheritdoc />
    public void ImportState(OptimizerState state)
    {
        var reader = new OptimizerStateReader(state, Kind, _parameters);
        var velocity = new float[]?[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
            velocity[i] = reader.Buffer(i, "momentum_buffer", _parameters[i].Count, required: false);
        reader.EnsureAllRead();
        velocity.CopyTo(_velocity, 0);
    }

    /// <summary>b ← μ·b + d; returns b, or d + μ·b (written to <paramref name="scratch"/>) for Nesterov.</summary>
    private ReadOnlySpan<float> ApplyMomentum(int index, ReadOnlySpan<float> direction, Span<float> scratch)
    {
        var velocity = _velocity[index];
        if (velocity is null)
        {
            velocity = _velocity[index] = direction.ToArray();   // PyTorch starts the buffer at d, not at μ·0 + d
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, Momentum, direction, velocity);
        }
        if (!Nesterov) return velocity;
        TensorPrimitives.MultiplyAdd(velocity, Momentum, direction, scratch);   // scratch may alias direction: elementwise
        return scratch;
    }
}
