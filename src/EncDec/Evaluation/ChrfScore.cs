using System.Globalization;

namespace EncDec.Evaluation;

/// <summary>A corpus chrF score and the settings it was computed with, as SacreBLEU's <c>CHRFScore</c> reports them.</summary>
/// <param name="Score">chrF on the 0..100 scale.</param>
/// <param name="CharOrder">The largest character n-gram order.</param>
/// <param name="WordOrder">The largest word n-gram order (0: chrF; 2 would be chrF++).</param>
/// <param name="Beta">How many times more recall weighs than precision.</param>
public sealed record ChrfScore(double Score, int CharOrder, int WordOrder, int Beta)
{
    /// <summary>SacreBLEU's name for the metric: <c>chrF2</c>, with one '+' per word order.</summary>
    public string Name => "chrF" + Beta.ToString(CultureInfo.InvariantCulture) + new string('+', WordOrder);

    /// <summary>SacreBLEU's text line without the signature, e.g. <c>chrF2 = 58.48</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} = {Score:F2}");
}
