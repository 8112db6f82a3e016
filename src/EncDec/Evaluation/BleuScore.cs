using System.Globalization;

namespace EncDec.Evaluation;

/// <summary>A corpus BLEU score with its sufficient statistics, as SacreBLEU's <c>BLEUScore</c> reports them.</summary>
/// <param name="Score">BLEU on the 0..100 scale.</param>
/// <param name="Counts">Matched (clipped) n-grams for n = 1..4.</param>
/// <param name="Totals">Hypothesis n-grams for n = 1..4.</param>
/// <param name="Precisions">The smoothed n-gram precisions for n = 1..4, in percent.</param>
/// <param name="BrevityPenalty">exp(1 - r/c) when the hypotheses are shorter than the references, else 1.</param>
/// <param name="SystemLength">Hypothesis tokens in the corpus (c).</param>
/// <param name="ReferenceLength">The sum over segments of the reference length closest to the hypothesis length (r).</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<long> Counts,
    IReadOnlyList<long> Totals,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long SystemLength,
    long ReferenceLength)
{
    /// <summary>SystemLength / ReferenceLength, or 0 when there is no reference token (as in SacreBLEU).</summary>
    public double Ratio => ReferenceLength != 0 ? (double)SystemLength / ReferenceLength : 0.0;

    /// <summary>
    /// SacreBLEU's text line without the signature, e.g.
    /// <c>BLEU = 35.69 67.8/43.2/29.6/20.8 (BP = 0.983 ratio = 0.983 hyp_len = 1234 ref_len = 1255)</c>.
    /// </summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string precisions = string.Join('/', Precisions.Select(p => p.ToString("F1", inv)));
        return string.Create(inv,
            $"BLEU = {Score:F2} {precisions} (BP = {BrevityPenalty:F3} ratio = {Ratio:F3} hyp_len = {SystemLength} ref_len = {ReferenceLength})");
    }
}
