namespace EncDec.Training;

/// <summary>
/// A first-order optimiser over a fixed list of parameter tensors. Parameters are addressed by their
/// index in that list, so an exported state only fits an optimiser built over the same parameters in
/// the same order.
/// </summary>
public interface IOptimizer
{
    /// <summary>Step size; a schedule sets it before each <see cref="Step"/>.</summary>
    float LearningRate { get; set; }

    /// <summary>Updates every parameter that has a gradient, reading the gradients without changing them.</summary>
    void Step();

    /// <summary>Sets every parameter's gradient to zero (keeps the memory).</summary>
    void ZeroGrad();

    /// <summary>A copy of everything a later <see cref="ImportState"/> needs to continue bit-identically.</summary>
    OptimizerState ExportState();

    /// <summary>Replaces this optimiser's state with <paramref name="state"/> (copied).</summary>
    /// <exception cref="System.IO.InvalidDataException">The kind, a key or a buffer length does not fit these parameters.</exception>
    void ImportState(OptimizerState state);
}
