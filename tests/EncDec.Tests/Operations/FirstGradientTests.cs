using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

/// <summary>
/// Elementwise functions, norms and dropout write an input's first gradient instead of adding it to a zeroed buffer. Inside a
/// <see cref="TensorScope"/> that buffer comes from the storage pool holding whatever an earlier step left in it
/// (poisoned with NaN here), so every element must be written; and a second use of the input must still add to the
/// first gradient, not replace it.
/// </summary>
public class FirstGradientTests
{
    private static readonly int[] Shape = [4, 64];

    public static TheoryData<string> Functions =>
        ["relu", "gelu", "gelu-tanh", "exp", "log", "tanh", "sigmoid", "silu", "sqrt", "pow", "pow0", "layernorm", "rmsnorm", "dropout"];

    private static Tensor Apply(string function, Tensor x) => function switch
    {
        "relu" => x.Relu(),
        "gelu" => x.Gelu(),
        "gelu-tanh" => x.Gelu(GeluApproximation.Tanh),
        "exp" => x.Exp(),
        "log" => x.Log(),
        "tanh" => x.Tanh(),
        "sigmoid" => x.Sigmoid(),
        "silu" => x.Silu(),
        "sqrt" => x.Sqrt(),
        "pow" => x.Pow(3f),
        "pow0" => x.Pow(0f),
        "layernorm" => x.LayerNorm(Tensor.Full(1.5f, Shape[1]), Tensor.Full(0.25f, Shape[1])),
        "rmsnorm" => x.RmsNorm(Tensor.Full(1.5f, Shape[1])),
        "dropout" => x.Dropout(0.5f, new RandomGenerator(23)),                // the same mask on every call
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void FirstGradient_IntoARecycledBuffer_IgnoresWhatTheBufferHeld(string function)
    {
        var clean = Gradient(function, poison: 0f, uses: 1);
        var poisoned = Gradient(function, poison: float.NaN, uses: 1);
        Assert.All(poisoned, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(clean, poisoned);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void SecondUse_AddsToTheFirstGradient(string function)
    {
        var once = Gradient(function, poison: float.NaN, uses: 1);
        var twice = Gradient(function, poison: float.NaN, uses: 2);
        Assert.Equal(once.Select(g => 2 * g), twice);
    }

    /// <summary>d(Σ dy ⊙ Σ_uses f(2a))/da for fixed a and dy, with the pool's blocks of the scope's size holding
    /// <paramref name="poison"/> beforehand.</summary>
    private static float[] Gradient(string function, float poison, int uses)
    {
        var a = GradientCheck.RandomInputs(21, 0.25f, 1.5f, Shape)[0];     // positive: log and sqrt are defined
        var dy = GradientCheck.RandomInputs(22, -1f, 1f, Shape)[0];
        a.RequiresGrad = true;
        using (TensorScope.Begin())
            for (int i = 0; i < 16; i++) Tensor.Full(poison, Shape);
        using (TensorScope.Begin())
        {
            var x = a * 2f;                                                  // scoped: its gradient is a pooled block
            var y = Apply(function, x);
            for (int use = 1; use < uses; use++) y = y + Apply(function, x);
            y.Backward(dy);
        }
        return a.Grad!.ToArray();
    }
}
