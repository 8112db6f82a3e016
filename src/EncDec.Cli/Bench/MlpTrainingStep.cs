using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;

namespace EncDec.Cli.Bench;

/// <summary>
/// One training step of a two-layer perceptron on fixed random data: forward (linear, GELU,
/// linear, cross-entropy), backward and an SGD update, inside a <see cref="TensorScope"/>. Used to
/// show that a steady step allocates nothing once warmed up.
/// </summary>
public sealed class MlpTrainingStep
{
    private readonly Tensor _input;                 // (batch, inputDim)
    private readonly IntTensor _targets;            // (batch)
    private readonly Tensor _weight1, _bias1;       // (hidden, inputDim), (hidden)
    private readonly Tensor _weight2, _bias2;       // (classes, hidden), (classes)
    private readonly Sgd _optimizer;

    /// <summary>Builds the model and a fixed batch from <paramref name="seed"/>.</summary>
    public MlpTrainingStep(int batch = 64, int inputDim = 256, int hidden = 512, int classes = 10, int seed = 1)
    {
        var random = new RandomGenerator((ulong)seed);
        _input = random.Normal(0f, 1f, batch, inputDim);
        _targets = IntTensor.Zeros(batch);
        for (int i = 0; i < batch; i++) _targets.AsSpan()[i] = random.NextInt(classes);
        _weight1 = Parameter(random, hidden, inputDim);
        _bias1 = Parameter(random, hidden);
        _weight2 = Parameter(random, classes, hidden);
        _bias2 = Parameter(random, classes);
        _optimizer = new Sgd([_weight1, _bias1, _weight2, _bias2], learningRate: 0.05f, momentum: 0.9f);
    }

    /// <summary>Runs one step and returns the loss before the update.</summary>
    public float Step()
    {
        using var scope = TensorScope.Begin();
        _optimizer.ZeroGrad();
        var hidden = _input.MatMul(_weight1, transposeB: true).Add(_bias1).Gelu();   // (batch, hidden)
        var logits = hidden.MatMul(_weight2, transposeB: true).Add(_bias2);          // (batch, classes)
        var loss = logits.CrossEntropy(_targets);
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }

    private static Tensor Parameter(RandomGenerator random, params int[] shape)
    {
        var tensor = Tensor.Zeros(shape);
        if (shape.Length >= 2) Initializers.XavierUniform(tensor, random);
        tensor.RequiresGrad = true;
        return tensor;
    }
}
