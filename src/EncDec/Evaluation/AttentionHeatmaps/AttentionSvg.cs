using System.Globalization;
using System.Text;

namespace EncDec.Evaluation;

/// <summary>
/// Draws one attention map as an SVG heatmap: source tokens along the top (x), target tokens down the left (y), one
/// square per weight with a hover tooltip (an SVG &lt;title&gt;, no script), and a colour legend on the right. Cell size
/// shrinks with the longer side so that 1x1 and 100x100 maps both fit a page; when cells get small, only every k-th label
/// is written (every cell still has its tooltip).
/// </summary>
internal static class AttentionSvg
{
    private const int MaxLabelChars = 18;
    private const int LegendSteps = 40;
    private const int LegendWidth = 14;
    private const int LegendGap = 18;
    private const int LegendLabelWidth = 34;
    private const int Margin = 6;

    public static string Render(AttentionExample example, AttentionMap map)
    {
        example.Validate(map);
        var layout = Layout.For(example);
        var svg = new StringBuilder(256 + example.SourceTokens.Count * example.TargetTokens.Count * 96);
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"attention\" width=\"{layout.Width}\" height=\"{layout.Height}\" "))
            .Append(Invariant($"viewBox=\"0 0 {layout.Width} {layout.Height}\" role=\"img\" aria-label=\"{Markup.Escape(map.Label)}\">\n"))
            .Append($"<title>{Markup.Escape(example.Title)}: {Markup.Escape(map.Label)}</title>\n")
            .Append(Invariant($"<g font-family=\"sans-serif\" font-size=\"{layout.FontSize}\" fill=\"#222\">\n"));
        SourceLabels(svg, example.SourceTokens, layout);
        TargetLabels(svg, example.TargetTokens, layout);
        svg.Append("</g>\n");
        Cells(svg, example, map.Weights, layout);
        Legend(svg, layout);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void SourceLabels(StringBuilder svg, IReadOnlyList<string> tokens, Layout layout)
    {
        for (int s = 0; s < tokens.Count; s += layout.LabelStep)
        {
            double x = layout.Left + (s + 0.5) * layout.Cell + layout.FontSize * 0.35;   // centre the glyphs' baseline on the column
            double y = layout.Top - 4;
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" transform=\"rotate(-90 {x:0.#} {y:0.#})\">"))
                .Append(Markup.Escape(Shorten(tokens[s]))).Append("</text>\n");
        }
    }

    private static void TargetLabels(StringBuilder svg, IReadOnlyList<string> tokens, Layout layout)
    {
        for (int t = 0; t < tokens.Count; t += layout.LabelStep)
        {
            double y = layout.Top + (t + 0.5) * layout.Cell + layout.FontSize * 0.35;
            svg.Append(Invariant($"<text x=\"{layout.Left - 4}\" y=\"{y:0.#}\" text-anchor=\"end\">"))
                .Append(Markup.Escape(Shorten(tokens[t]))).Append("</text>\n");
        }
    }

    private static void Cells(StringBuilder svg, AttentionExample example, float[][] weights, Layout layout)
    {
        svg.Append("<g class=\"cells\">\n");
        for (int t = 0; t < weights.Length; t++)
        {
            string target = Markup.Escape(example.TargetTokens[t]);
            for (int s = 0; s < weights[t].Length; s++)
            {
                float weight = weights[t][s];
                svg.Append(Invariant($"<rect class=\"cell\" x=\"{layout.Left + s * layout.Cell}\" y=\"{layout.Top + t * layout.Cell}\" "))
                    .Append(Invariant($"width=\"{layout.Cell}\" height=\"{layout.Cell}\" fill=\"{AttentionColourScale.Hex(weight)}\" "))
                    .Append(Invariant($"data-weight=\"{weight:R}\"><title>{target} \u2192 {Markup.Escape(example.SourceTokens[s])}: {weight:0.000}</title></rect>\n"));
            }
        }
        svg.Append("</g>\n");
    }

    private static void Legend(StringBuilder svg, Layout layout)
    {
        int x = layout.Left + layout.GridWidth + LegendGap;
        double step = (double)layout.LegendHeight / LegendSteps;
        svg.Append("<g class=\"legend\">\n");
        for (int i = 0; i < LegendSteps; i++)
        {
            float weight = 1f - (i + 0.5f) / LegendSteps;   // top is 1, bottom is 0
            svg.Append(Invariant($"<rect x=\"{x}\" y=\"{layout.Top + i * step:0.##}\" width=\"{LegendWidth}\" height=\"{step + 0.5:0.##}\" fill=\"{AttentionColourScale.Hex(weight)}\"/>\n"));
        }
        svg.Append(Invariant($"<rect x=\"{x}\" y=\"{layout.Top}\" width=\"{LegendWidth}\" height=\"{layout.LegendHeight}\" fill=\"none\" stroke=\"#888\"/>\n"));
        foreach (float tick in new[] { 0f, 0.25f, 0.5f, 0.75f, 1f })
        {
            double y = layout.Top + (1 - tick) * layout.LegendHeight;
            svg.Append(Invariant($"<text x=\"{x + LegendWidth + 4}\" y=\"{y + 4:0.#}\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#222\">{tick:0.00}</text>\n"));
        }
        svg.Append("</g>\n");
    }

    private static string Shorten(string token) => token.Length <= MaxLabelChars ? token : token[..(MaxLabelChars - 1)] + "\u2026";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Pixel geometry of one heatmap.</summary>
    private readonly record struct Layout(int Cell, int FontSize, int LabelStep, int Left, int Top, int GridWidth, int GridHeight, int LegendHeight)
    {
        public int Width => Left + GridWidth + LegendGap + LegendWidth + LegendLabelWidth + Margin;

        public int Height => Top + Math.Max(GridHeight, LegendHeight) + Margin;

        public static Layout For(AttentionExample example)
        {
            int columns = example.SourceTokens.Count, rows = example.TargetTokens.Count;
            int cell = Math.Clamp(560 / Math.Max(columns, rows), 6, 32);
            int fontSize = Math.Clamp(cell - 4, 9, 13);
            int labelStep = (int)Math.Ceiling((fontSize + 1.0) / cell);   // labels never overlap
            int longestSource = example.SourceTokens.Max(t => Math.Min(t.Length, MaxLabelChars));
            int longestTarget = example.TargetTokens.Max(t => Math.Min(t.Length, MaxLabelChars));
            int left = Margin + (int)Math.Ceiling(longestTarget * fontSize * 0.62) + 6;
            int top = Margin + (int)Math.Ceiling(longestSource * fontSize * 0.62) + 6;
            int gridHeight = rows * cell;
            return new Layout(cell, fontSize, labelStep, left, top, columns * cell, gridHeight, Math.Max(gridHeight, 120));
        }
    }
}
