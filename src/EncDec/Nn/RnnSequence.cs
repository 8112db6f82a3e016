using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Runs one recurrence over time in one direction, with padding handled by carrying the state:
/// s_t = real_t ? step(s_{t−1}) : s_{t−1}. Forward, a sequence's final state is thus the state at its
/// last real token; in reverse with right padding the pads come first, so they leave the initial state
/// untouched and the recurrence effectively starts at the last real token. Outputs at pads are zero.
/// </summary>
internal static class RnnSequence
{
    /// <summary>A step: projected input (batch, gates·hidden) and state tensors (batch, hidden) → new state; element 0 is the output h.</summary>
    public delegate Tensor[] Step(Tensor projectedInput, Tensor[] state);

    /// <param name="projected">(batch, len, gates·hidden), the inputs times W_ihᵀ</param>
    /// <param name="realTokens">(batch, len), 1 = real token, 0 = pad; null = all real</param>
    /// <param name="state">initial state tensors, each (batch, hidden)</param>
    /// <param name="reverse">run from the last position to the first</param>
    /// <param name="step">the cell update</param>
    /// <returns>outputs (batch, len, hidden) and the final state tensors</returns>
    public static (Tensor Outputs, Tensor[] Final) Run(Tensor projected, Tensor? realTokens, Tensor[] state, bool reverse, Step step)
    {
        int batch = projected.Shape[0], length = projected.Shape[1], width = projected.Shape[2];
        int hidden = state[0].Shape[1];
        var outputs = new Tensor[length];
        for (int k = 0; k < length; k++)
        {
            int t = reverse ? length - 1 - k : k;
            var input = projected.Narrow(1, t, 1).Reshape(batch, width);
            var next = step(input, state);
            Tensor output = next[0];
            if (realTokens is not null)
            {
                var real = realTokens.Narrow(1, t, 1);                           // (batch, 1)
                for (int j = 0; j < next.Length; j++) next[j] = TensorOps.Where(real, next[j], state[j]);
                output = next[0] * real;
            }
            outputs[t] = output.Reshape(batch, 1, hidden);
            state = next;
        }
        return (TensorOps.Concat(1, outputs), state);
    }
}
