namespace EncDec.Evaluation;

/// <summary>One attention matrix to draw, e.g. one head of one layer, or the average over heads.</summary>
/// <param name="Label">Caption, e.g. <c>layer 3, head 5</c> or <c>layer 6, mean of heads</c>.</param>
/// <param name="Weights">(tgtLen, srcLen): <c>Weights[t][s]</c> is how much target position t attends to source position s,
/// normally in [0, 1] with rows summing to 1; colours saturate outside [0, 1], tooltips show the exact value.</param>
public sealed record AttentionMap(string Label, float[][] Weights);
