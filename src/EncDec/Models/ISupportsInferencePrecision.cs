namespace EncDec.Models;

/// <summary>An encoder or decoder whose inference path can run at another <see cref="Models.InferencePrecision"/>
/// (the Transformer ones). <see cref="EncoderDecoderModel.InferencePrecision"/> sets it on both parts.</summary>
public interface ISupportsInferencePrecision
{
    /// <summary>The arithmetic of the inference path (gradients off, evaluation mode); training is unaffected.
    /// Changing it rebuilds the frozen weights at the next inference call.</summary>
    InferencePrecision InferencePrecision { get; set; }
}
