namespace EncDec.Text.Training;

/// <summary>
/// The training data cannot give the model asked for: no usable line, or a vocabulary too small for the alphabet or
/// too large for what the data holds. The message says which and what to change.
/// </summary>
public sealed class SubwordTrainingException(string message) : Exception(message);
