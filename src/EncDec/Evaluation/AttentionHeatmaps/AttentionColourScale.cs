namespace EncDec.Evaluation;

/// <summary>
/// The sequential colour scale of attention heatmaps: ColorBrewer "Blues" (9 classes; Brewer, colorbrewer2.org),
/// interpolated linearly between its anchors, from near-white at weight 0 to dark blue at weight 1. Every channel falls
/// monotonically along the anchors, so darker always means more attention, also in greyscale print.
/// </summary>
public static class AttentionColourScale
{
    private static readonly (byte R, byte G, byte B)[] Anchors =
    [
        (0xf7, 0xfb, 0xff), (0xde, 0xeb, 0xf7), (0xc6, 0xdb, 0xef), (0x9e, 0xca, 0xe1), (0x6b, 0xae, 0xd6),
        (0x42, 0x92, 0xc6), (0x21, 0x71, 0xb5), (0x08, 0x51, 0x9c), (0x08, 0x30, 0x6b),
    ];

    /// <summary>The colour of <paramref name="weight"/>, clamped to [0, 1] (NaN counts as 0).</summary>
    public static (byte R, byte G, byte B) Colour(float weight)
    {
        float clamped = float.IsNaN(weight) ? 0f : Math.Clamp(weight, 0f, 1f);
        float position = clamped * (Anchors.Length - 1);
        int low = Math.Min((int)position, Anchors.Length - 2);
        float fraction = position - low;
        var (a, b) = (Anchors[low], Anchors[low + 1]);
        return (Mix(a.R, b.R, fraction), Mix(a.G, b.G, fraction), Mix(a.B, b.B, fraction));
    }

    /// <summary><see cref="Colour"/> as a CSS hex colour, e.g. <c>#08306b</c>.</summary>
    public static string Hex(float weight)
    {
        var (r, g, b) = Colour(weight);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    /// <summary>WCAG relative luminance of an sRGB colour, 0 (black) .. 1 (white).</summary>
    public static double Luminance((byte R, byte G, byte B) colour) =>
        0.2126 * Linear(colour.R) + 0.7152 * Linear(colour.G) + 0.0722 * Linear(colour.B);

    private static byte Mix(byte from, byte to, float fraction) => (byte)Math.Round(from + (to - from) * fraction);

    private static double Linear(byte channel)
    {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
