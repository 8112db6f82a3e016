using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>
/// Adam as PyTorch implements it (torch.optim.Adam, amsgrad off). Per parameter, at step t:
/// g ← grad (+ λ·p when the decay is L2); m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²;
/// p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε) — ε outside the square root, added after
/// the bias correction. With decoupled decay (<see cref="AdamW"/>) p ← p·(1 − lr·λ) comes first
/// and the gradient is left alone. The gradient tensors are never modified. Moment and scratch
/// buffers are allocated on a parameter's first step, so later steps allocate nothing.
/// </summary>
public class Adam : IOptimizer
{
    private readonly Tensor[] _parameters;
    private readonly float[]?[] _firstMoment;
    private readonly float[]?[] _secondMoment;
    [ThreadStatic] private static float[]? t_scratch;
    private readonly List<(int Parameter, int Start)> _blocks = [];
    private UpdateWork? _work;
    private readonly long[] _steps;

    /// <summary>An optimiser over <paramref name="parameters"/> (contiguous tensors with RequiresGrad).</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">Step size lr.</param>
    /// <param name="beta1">Decay β₁ of the first-moment average.</param>
    /// <param name="beta2">Decay β₂ of the second-moment average.</param>
    /// <param name="epsilon">ε added to the bias-corrected √v.</param>
    /// <param name="weightDecay">λ: an L2 term in the gradient, or decoupled decay when <paramref name="decoupledWeightDecay"/>.</param>
    /// <param name="decoupledWeightDecay">True for AdamW's p ← p·(1 − lr·λ).</param>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0f, bool decoupledWeightDecay = false)
    {
        _parameters = OptimizerParameters.Checked(parameters);
        OptimizerParameters.CheckLearningRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (!(epsilon >= 0) || !float.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be non-negative and finite");
        if (!(weightDecay >= 0) || !float.IsFinite(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be non-negative and finite");
        _firstMoment = new float[]?[_parameters.Length];
        _secondMoment = new float[]?[_parameters.Length];
        _steps = new long[_parameters.Length];
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
    }

    /// <inheritdoc />
    public float LearningRate { get; set; }

    /// <summary>Decay β₁ of the first-moment average.</summary>
    public float Beta1 { get; }

    /// <summary>Decay β₂ of the second-moment average.</summary>
    public float Beta2 { get; }

    /// <summary>ε added to the bias-corrected √v.</summary>
    public float Epsilon { get; }

    /// <summary>Weight decay λ.</summary>
    public float WeightDecay { get; }

    /// <summary>True when the decay shrinks the weights directly (AdamW) instead of entering the gradient.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <summary>Elements per block of the update: p, g, m, v and the scratch slices (40 KB) stay in L1/L2.</summary>
    public const int BlockSize = 2048;

    /// <summary>Updates every parameter that has a gradient; each parameter counts its own steps, as in PyTorch.
    /// Blocks of <see cref="BlockSize"/> elements are spread over the kernel threads (the update is elementwise, so
    /// the result does not depend on how many threads run it).</summary>
    public void Step()
    {
        _blocks.Clear();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.Grad is null) continue;
            int n = parameter.Count;
            _firstMoment[i] ??= new float[n];
            _secondMoment[i] ??= new float[n];
            ++_steps[i];
            for (int start = 0; start < n; start += BlockSize) _blocks.Add((i, start));
        }
        ParallelRunner.For(_blocks.Count, _work ??= new UpdateWork(this));
    }

    /// <summary>Updates the blocks [begin, end) of <see cref="_blocks"/>.</summary>
    private void UpdateBlocks(int begin, int end)
    {
        var scratch = t_scratch ??= new float[BlockSize];
        for (int b = begin; b < end; b++)
        {
            var (i, start) = _blocks[b];
            var parameter = _parameters[i];
            int length = Math.Min(BlockSize, parameter.Count - start);
            Update(parameter.AsSpan().Slice(start, length), parameter.Grad!.AsSpan().Slice(start, length),
                _firstMoment[i].AsSpan(start, length), _secondMoment[i].AsSpan(start, length), scratch.AsSpan(0, length), _steps[i]);
        }
    }

    private sealed class UpdateWork(Adam optimizer) : IParallelWork
    {
        public void Execute(int begin, int end) => optimizer.UpdateBlocks(begin, end);
    }

    /// <inheritdoc />
    public void ZeroGrad() => OptimizerParameters.ZeroGrad(_parameters);

    /// <summary>The <see cref="OptimizerState.Kind"/> this optimiser exports: <c>adamw</c> with decoupled decay, else <c>adam</c>.</summary>
    public string Kind => DecoupledWeightDecay ? "adamw" : "adam";

    /// <summary>Buffers <c>{i}.exp_avg</c>, <c>{i}.exp_avg_sq</c> and counter <c>{i}.step</c> for parameters that have stepped.</summary>
    public OptimizerState ExportState()
    {
        var buffers = new Dictionary<string, float[]>();
        var counters = new Dictionary<string, long>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_steps[i] == 0) continue;
            buffers[OptimizerState.Key(i, "exp_avg")] = (float[])_firstMoment[i]!.Clone();
            buffers[OptimizerState.Key(i, "exp_avg_sq")] = (float[])_secondMoment[i]!.Clone();
            counters[OptimizerState.Key(i, "step")] = _steps[i];
        }
        return new OptimizerState(Kind, buffers, counters);
    }

    /// <inheritdoc />
    public void ImportState(OptimizerState state)
    {
        var reader = new OptimizerStateReader(state, Kind, _parameters);
        var steps = new long[_parameters.Length];
        var first = new float[]?[_parameters.Length];
        var second = new float[]?[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            steps[i] = reader.Counter(i, "step");
            bool stepped = steps[i] > 0;
            first[i] = reader.Buffer(i, "exp_avg", _parameters[i].Count, required: stepped);
            second[i] = reader.Buffer(i, "exp_avg_sq", _parameters[i].Count, required: stepped);
            if (!stepped && (first[i] ?? second[i]) is not null)
                throw new InvalidDataException($"optimizer state has moments for parameter {i} but no positive '{OptimizerState.Key(i, "step")}'");
        }
        reader.EnsureAllRead();
        steps.CopyTo(_steps, 0);
        first.CopyTo(_firstMoment, 0);
        second.CopyTo(_secondMoment, 0);
    }

    private void Update(Span<float> p, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, Span<float> scratch, long step)
    {
        if (WeightDecay != 0f && DecoupledWeightDecay) TensorPrimitives.Multiply(p, 1f - LearningRate * WeightDecay, p);
        ReadOnlySpan<float> g = grad;
        if (WeightDecay != 0f && !DecoupledWeightDecay)
        {
            TensorPrimitives.MultiplyAdd(p, WeightDecay, grad, scratch);   // g + λ·p, leaving .Grad as it was
            g = scratch;
        }
        TensorPrimitives.Multiply(m, Beta1, m);
        TensorPrimitives.MultiplyAdd(g, 1f - Beta1, m, m);
        TensorPrimitives.Multiply(g, g, scratch);                          // g² (g may alias scratch: elementwise)
        TensorPrimitives.Multiply(v, Beta2, v);
        TensorPrimitives.MultiplyAdd(scratch, 1f - Beta2, v, v);

        // Bias corrections in double, as PyTorch computes them with Python floats.
        double correction1 = 1 - Math.Pow(Beta1, step);
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        float stepSize = (float)(LearningRate / correction1);
        TensorPrimitives.Sqrt(v, scratch);
        TensorPrimitives.Divide(scratch, (float)correction2Sqrt, scratch);
        TensorPrimitives.Add(scratch, Epsilon, scratch);                  // denominator √v̂ + ε
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -stepSize, p, p);
    }
}
