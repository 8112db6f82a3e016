using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
/// torch.optim.SGD (no dampening): d ← grad + λ·p; b ← μ·b + d (b = d at the first step);
/// d ← d + μ·b with Nesterov, else d ← b; p ← p − lr·d. The gradient tensors are never modified.
/// Momentum buffers are allocated on a parameter's first step, so later steps allocate nothing; the update
/// runs over blocks of <see cref="Adam.BlockSize"/> elements so its passes hit cache, not memory.
/// </summary>
public sealed class Sgd : IOptimizer
{
    /// <summary>The <see cref="OptimizerState.Kind"/> this optimiser exports.</summary>
    public const string Kind = "sgd";

    private readonly Tensor[] _parameters;
    private readonly float[]?[] _velocity;
    private float[]? _scratch;

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
        var scratch = _scratch ??= new float[Adam.BlockSize];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.Grad is null) continue;
            var values = parameter.AsSpan();
            var gradient = parameter.Grad.AsSpan();
            bool first = Momentum != 0f && _velocity[i] is null;
            var velocity = Momentum != 0f ? _velocity[i] ??= new float[values.Length] : null;
            for (int start = 0; start < values.Length; start += Adam.BlockSize)
            {
                int length = Math.Min(Adam.BlockSize, values.Length - start);
                Update(values.Slice(start, length), gradient.Slice(start, length),
                    velocity is null ? default : velocity.AsSpan(start, length), scratch.AsSpan(0, length), first);
            }
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
        if (Momentum != 0f)   // without momentum a momentum buffer is left unread, and EnsureAllRead names it
            for (int i = 0; i < _parameters.Length; i++)
                velocity[i] = reader.Buffer(i, "momentum_buffer", _parameters[i].Count, required: false);
        reader.EnsureAllRead();
        velocity.CopyTo(_velocity, 0);
    }

    /// <summary>One block: d = g (+ λ·p); b ← μ·b + d (b = d at the first step, as PyTorch clones d);
    /// d ← d + μ·b with Nesterov, else b; p ← p − lr·d.</summary>
    private void Update(Span<float> values, ReadOnlySpan<float> gradient, Span<float> velocity, Span<float> scratch, bool first)
    {
        ReadOnlySpan<float> direction = gradient;
        if (WeightDecay != 0f)
        {
            TensorPrimitives.MultiplyAdd(values, WeightDecay, gradient, scratch);   // grad + λ·p, leaving .Grad as it was
            direction = scratch;
        }
        if (Momentum != 0f)
        {
            if (first) direction.CopyTo(velocity);
            else TensorPrimitives.MultiplyAdd(velocity, Momentum, direction, velocity);
            if (Nesterov)
            {
                TensorPrimitives.MultiplyAdd(velocity, Momentum, direction, scratch);   // scratch may alias direction: elementwise
                direction = scratch;
            }
            else
            {
                direction = velocity;
            }
        }
        TensorPrimitives.MultiplyAdd(direction, -LearningRate, values, values);
    }
}
