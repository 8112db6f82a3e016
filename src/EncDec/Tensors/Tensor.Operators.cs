using EncDec.Operations;

namespace EncDec.Tensors;

public sealed partial class Tensor
{
    /// <summary>a + b, broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>a - b, broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Subtract(b);
    /// <summary>a * b elementwise, broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Multiply(b);
    /// <summary>a / b elementwise, broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Divide(b);
    /// <summary>-x.</summary>
    public static Tensor operator -(Tensor x) => x.Negate();
    /// <summary>x + value.</summary>
    public static Tensor operator +(Tensor x, float value) => x.Add(value);
    /// <summary>x - value.</summary>
    public static Tensor operator -(Tensor x, float value) => x.Subtract(value);
    /// <summary>x * value.</summary>
    public static Tensor operator *(Tensor x, float value) => x.Multiply(value);
    /// <summary>value * x.</summary>
    public static Tensor operator *(float value, Tensor x) => x.Multiply(value);
    /// <summary>x / value.</summary>
    public static Tensor operator /(Tensor x, float value) => x.Divide(value);
    /// <summary>value - x.</summary>
    public static Tensor operator -(float value, Tensor x) => x.SubtractFrom(value);
}
