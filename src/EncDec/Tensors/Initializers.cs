using EncDec.Kernels;

namespace EncDec.Tensors;

/// <summary>
/// Weight initialisers that overwrite a tensor in place, with the formulas of PyTorch's <c>torch.nn.init</c>
/// so that models initialise as their published recipes expect. Each returns the tensor for chaining.
/// Fans, for a weight of rank r ≥ 2 with receptive field R = shape[2] · … · shape[r-1] (1 when r = 2):
/// fan_in = shape[1] · R and fan_out = shape[0] · R, so a Linear weight (out, in) has fan_in = in and a
/// Conv1d weight (out, in, k) has fan_in = in · k.
/// <list type="bullet">
/// <item>Xavier (Glorot and Bengio 2010): uniform on [-a, a] with a = gain · √(6 / (fan_in + fan_out));
/// normal with std = gain · √(2 / (fan_in + fan_out)).</item>
/// <item>Kaiming (He et al. 2015): std = gain / √fan with fan = fan_in or fan_out (<see cref="FanMode"/>);
/// uniform on [-√3 · std, √3 · std], or normal with that std. gain is <see cref="Gain"/> of the nonlinearity:
/// √2 for ReLU, √(2 / (1 + a²)) for leaky ReLU with negative slope a.</item>
/// </list>
/// Writes go straight to storage: no autograd history is recorded. Views (non-contiguous tensors) are filled
/// element by element in row-major order, with the same draws a dense tensor of that shape would get.
/// </summary>
public static class Initializers
{
    /// <summary>Fills <paramref name="tensor"/> (any shape) uniformly on [low, high).</summary>
    public static Tensor Uniform(Tensor tensor, RandomGenerator rng, float low, float high)
    {
        var target = Target(tensor, out var scratch);
        rng.FillUniform(target, low, high);
        return Commit(tensor, scratch);
    }

    /// <summary>Fills <paramref name="tensor"/> (any shape) from N(mean, std²).</summary>
    public static Tensor Normal(Tensor tensor, RandomGenerator rng, float mean = 0f, float std = 1f)
    {
        var target = Target(tensor, out var scratch);
        rng.FillNormal(target, mean, std);
        return Commit(tensor, scratch);
    }

    /// <summary>Sets every element of <paramref name="tensor"/> to 0.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Sets every element of <paramref name="tensor"/> to 1.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);

    /// <summary>Sets every element of <paramref name="tensor"/> to <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, float value)
    {
        var target = Target(tensor, out var scratch);
        target.Fill(value);
        return Commit(tensor, scratch);
    }

    /// <summary>Xavier/Glorot uniform: U(-a, a) with a = gain · √(6 / (fan_in + fan_out)).</summary>
    /// <param name="tensor">A weight of rank ≥ 2, e.g. (out, in) or (out, in, kernel).</param>
    /// <param name="rng">Source of the draws.</param>
    /// <param name="gain">Scale for the following nonlinearity (see <see cref="Gain"/>).</param>
    public static Tensor XavierUniform(Tensor tensor, RandomGenerator rng, float gain = 1f)
    {
        var (fanIn, fanOut) = ComputeFans(tensor.Shape);
        if (tensor.Count == 0) return tensor;
        float bound = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        return Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>Xavier/Glorot normal: N(0, std²) with std = gain · √(2 / (fan_in + fan_out)).</summary>
    /// <param name="tensor">A weight of rank ≥ 2, e.g. (out, in) or (out, in, kernel).</param>
    /// <param name="rng">Source of the draws.</param>
    /// <param name="gain">Scale for the following nonlinearity (see <see cref="Gain"/>).</param>
    public static Tensor XavierNormal(Tensor tensor, RandomGenerator rng, float gain = 1f)
    {
        var (fanIn, fanOut) = ComputeFans(tensor.Shape);
        if (tensor.Count == 0) return tensor;
        return Normal(tensor, rng, 0f, gain * MathF.Sqrt(2f / (fanIn + fanOut)));
    }

    /// <summary>Kaiming/He uniform: U(-b, b) with b = √3 · gain / √fan. PyTorch's defaults (a = 0, fan_in,
    /// leaky ReLU) give gain √2, i.e. b = √(6 / fan_in).</summary>
    /// <param name="tensor">A weight of rank ≥ 2, e.g. (out, in) or (out, in, kernel).</param>
    /// <param name="rng">Source of the draws.</param>
    /// <param name="a">Negative slope of the leaky ReLU that follows (used only for <see cref="Nonlinearity.LeakyRelu"/>).</param>
    /// <param name="mode">Whether fan is fan_in or fan_out.</param>
    /// <param name="nonlinearity">The activation that follows.</param>
    public static Tensor KaimingUniform(Tensor tensor, RandomGenerator rng, float a = 0f,
        FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        float std = KaimingStd(tensor, a, mode, nonlinearity);
        if (tensor.Count == 0) return tensor;
        float bound = MathF.Sqrt(3f) * std;
        return Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>Kaiming/He normal: N(0, std²) with std = gain / √fan.</summary>
    /// <param name="tensor">A weight of rank ≥ 2, e.g. (out, in) or (out, in, kernel).</param>
    /// <param name="rng">Source of the draws.</param>
    /// <param name="a">Negative slope of the leaky ReLU that follows (used only for <see cref="Nonlinearity.LeakyRelu"/>).</param>
    /// <param name="mode">Whether fan is fan_in or fan_out.</param>
    /// <param name="nonlinearity">The activation that follows.</param>
    public static Tensor KaimingNormal(Tensor tensor, RandomGenerator rng, float a = 0f,
        FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        float std = KaimingStd(tensor, a, mode, nonlinearity);
        if (tensor.Count == 0) return tensor;
        return Normal(tensor, rng, 0f, std);
    }

    /// <summary>
    /// (fan_in, fan_out) of a weight of <paramref name="shape"/> as PyTorch computes them:
    /// fan_in = shape[1] · R, fan_out = shape[0] · R, with R the product of shape[2..].
    /// </summary>
    /// <exception cref="ArgumentException">The shape has fewer than two dimensions.</exception>
    public static (int FanIn, int FanOut) ComputeFans(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2)
            throw new ArgumentException(
                $"Initializers: fan_in and fan_out cannot be computed for shape {ShapeMath.Format(shape)} with fewer than 2 dimensions");
        long receptiveField = 1;
        for (int i = 2; i < shape.Length; i++) receptiveField *= shape[i];
        return ((int)(shape[1] * receptiveField), (int)(shape[0] * receptiveField));
    }

    /// <summary>The recommended gain for <paramref name="nonlinearity"/> (PyTorch's <c>calculate_gain</c>):
    /// 1 for linear and sigmoid, 5/3 for tanh, √2 for ReLU, √(2 / (1 + slope²)) for leaky ReLU, 3/4 for SELU.</summary>
    /// <param name="nonlinearity">The activation that follows the layer.</param>
    /// <param name="negativeSlope">Leaky ReLU's negative slope (PyTorch's default is 0.01).</param>
    public static float Gain(Nonlinearity nonlinearity, float negativeSlope = 0.01f) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1f,
        Nonlinearity.Tanh => 5f / 3f,
        Nonlinearity.Relu => MathF.Sqrt(2f),
        Nonlinearity.LeakyRelu => MathF.Sqrt(2f / (1f + negativeSlope * negativeSlope)),
        Nonlinearity.Selu => 0.75f,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Initializers.Gain: unknown nonlinearity"),
    };

    private static float KaimingStd(Tensor tensor, float a, FanMode mode, Nonlinearity nonlinearity)
    {
        var (fanIn, fanOut) = ComputeFans(tensor.Shape);
        int fan = mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Initializers: unknown fan mode"),
        };
        return Gain(nonlinearity, a) / MathF.Sqrt(fan);
    }

    /// <summary>The span to fill: the tensor's own elements when dense, otherwise a dense scratch copy.</summary>
    private static Span<float> Target(Tensor tensor, out float[]? scratch)
    {
        scratch = tensor.IsContiguous ? null : new float[tensor.Count];   // initialisation is not a hot path
        return scratch ?? tensor.AsSpan();
    }

    /// <summary>Writes the scratch copy (if any) into the strided view, in row-major order.</summary>
    private static Tensor Commit(Tensor tensor, float[]? scratch)
    {
        if (scratch is null) return tensor;
        Span<int> denseStrides = stackalloc int[tensor.Rank];
        ShapeMath.RowMajorStrides(tensor.Shape, denseStrides);
        var kernel = new ScatterKernel(scratch, tensor.Storage.AsSpan());
        StridedLoop.Run(ref kernel, tensor.Shape, tensor.Strides, tensor.Offset, denseStrides, 0, default, 0);
        return tensor;
    }

    private ref struct ScatterKernel(ReadOnlySpan<float> source, Span<float> destination) : IStridedKernel
    {
        private readonly ReadOnlySpan<float> _source = source;
        private readonly Span<float> _destination = destination;

        public void Inner(int length, int o0, int s0, int o1, int s1, int o2, int s2)
        {
            for (int i = 0; i < length; i++) _destination[o0 + i * s0] = _source[o1 + i * s1];
        }
    }
}
