using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>Gradient norm measurement and clipping across all parameters at once (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Measures ‖g‖₂ over the gradients of all <paramref name="parameters"/> (those without a gradient are
    /// skipped; list each tensor once) and, when it exceeds <paramref name="maxNorm"/> &gt; 0, scales every
    /// gradient by maxNorm / ‖g‖ so the global norm becomes maxNorm. Unlike PyTorch no 1e-6 is added to the
    /// denominator: it only guards a zero norm, which never exceeds a positive maxNorm.
    /// </summary>
    /// <param name="parameters">The tensors whose gradients to measure and scale.</param>
    /// <param name="maxNorm">The largest allowed global norm; 0 or less only measures.</param>
    /// <returns>The norm before clipping. When it is not finite the gradients are left as they are,
    /// so the caller can skip the step.</returns>
    public static double ClipByGlobalNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (double.IsNaN(maxNorm)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must not be NaN");
        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Grad is { } grad) sum += SumOfSquares(grad.AsSpan());
        double norm = Math.Sqrt(sum);
        if (maxNorm > 0 && double.IsFinite(norm) && norm > maxNorm)
        {
            float scale = (float)(maxNorm / norm);
            for (int i = 0; i < parameters.Count; i++)
                if (parameters[i].Grad is { } grad) TensorPrimitives.Multiply(grad.AsSpan(), scale, grad.AsSpan());
        }
        return norm;
    }

    /// <summary>Σx² accumulated in double over float chunks, so large tensors keep their precision.</summary>
    internal static double SumOfSquares(ReadOnlySpan<float> values)
    {
        const int Chunk = 4096;
        double sum = 0;
        for (int start = 0; start < values.Length; start += Chunk)
            sum += TensorPrimitives.SumOfSquares(values.Slice(start, Math.Min(Chunk, values.Length - start)));
        return sum;
    }
}
