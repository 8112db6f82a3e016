namespace EncDec.Training.Configuration;

/// <summary>One scalar setting as written by the user, with where it was written (for error messages).</summary>
/// <param name="Text">The value as text (YAML scalar or the right-hand side of a <c>key=value</c> override).</param>
/// <param name="Origin">Where it came from, e.g. <c>run.yaml:12</c> or <c>command line</c>.</param>
public readonly record struct ConfigValue(string Text, string Origin);
