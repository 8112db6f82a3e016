using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum and L2 weight decay, as PyTorch's SGD:
/// g ← grad + λ·p; v ← μ·v + g; p ← p − lr·v (plain g when μ = 0). Momentum buffers are
/// allocated on the first step, so later steps allocate nothing.
/// </summary>
public sealed class Sgd
{
    private readonly Tensor[] _parameters;
    private readonly float[]?[] _velocity;

    /// <summary>An optimiser over <paramref name="parameters"/> (tensors with RequiresGrad).</summary>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float weightDecay = 0f)
    {
        _parameters = parameters.ToArray();
        if (learningRate <= 0 || !float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learning rate must be positive and finite");
        if (momentum < 0 || momentum >= 1)
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1)");
        if (weightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be non-negative");
        foreach (var parameter in _parameters)
            if (!parameter.RequiresGrad || !parameter.IsContiguous)
                throw new ArgumentException($"parameter {parameter.Describe()} must be contiguous and require grad");
        _velocity = new float[]?[_parameters.Length];
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
    }

    /// <summary>Step size; schedules may change it between steps.</summary>
    public float LearningRate { get; set; }

    /// <summary>Momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>L2 penalty λ added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.Grad is null) continue;
            var values = parameter.AsSpan();
            var gradient = parameter.Grad.AsSpan();
            if (WeightDecay != 0f) TensorPrimitives.MultiplyAdd(values, WeightDecay, gradient, gradient);
            if (Momentum != 0f)
            {
                var velocity = _velocity[i] ??= new float[values.Length];
                TensorPrimitives.MultiplyAdd(velocity, Momentum, gradient, velocity);
                gradient = velocity;
            }
            TensorPrimitives.MultiplyAdd(gradient, -LearningRate, values, values);
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters) parameter.ZeroGrad();
    }
}
