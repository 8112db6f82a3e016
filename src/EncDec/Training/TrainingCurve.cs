using System.Globalization;
using System.Net;
using System.Text;
using EncDec.Data;

namespace EncDec.Training;

/// <summary>
/// Draws a run's curves as a self-contained SVG: the left panel shows training loss and dev loss against the
/// step, the right panel the dev BLEU and chrF (when validations decoded). Written beside the checkpoints after
/// every validation, so a browser shows how a run is going without any tool.
/// </summary>
public static class TrainingCurve
{
    private const int PanelWidth = 460, PanelHeight = 300, Margin = 50;

    private sealed record Series(string Label, string Colour, IReadOnlyList<(double X, double Y)> Points);

    /// <summary>The SVG text for <paramref name="records"/>.</summary>
    public static string Render(IReadOnlyList<MetricRecord> records, string title)
    {
        var train = Points(records, "train", "loss");
        var devLoss = Points(records, "valid", "loss");
        var bleu = Points(records, "valid", "bleu");
        var chrf = Points(records, "valid", "chrf");
        var svg = new StringBuilder();
        int width = 2 * (PanelWidth + Margin) + Margin, height = PanelHeight + 2 * Margin + 20;
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Margin}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)}</text>\n");
        Panel(svg, Margin, 2 * Margin - 20, "loss (nats per target token)",
            [new Series("train", "#1f77b4", train), new Series("dev", "#d62728", devLoss)]);
        Panel(svg, 2 * Margin + PanelWidth, 2 * Margin - 20, "dev score",
            [new Series("BLEU", "#2ca02c", bleu), new Series("chrF", "#9467bd", chrf)]);
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>Writes <see cref="Render"/>'s output atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<MetricRecord> records, string title)
    {
        AtomicFile.WriteText(path, Render(records, title));
    }

    private static List<(double, double)> Points(IReadOnlyList<MetricRecord> records, string kind, string key) =>
        [.. records.Where(r => r.Kind == kind && r.Values.TryGetValue(key, out double v) && double.IsFinite(v))
            .Select(r => ((double)r.Step, r.Values[key]))];

    private static void Panel(StringBuilder svg, int left, int top, string label, IReadOnlyList<Series> series)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        svg.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({left},{top})\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#999\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"-6\">{WebUtility.HtmlEncode(label)}</text>\n");
        if (all.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{PanelWidth / 2}\" y=\"{PanelHeight / 2}\" text-anchor=\"middle\" fill=\"#999\">no data yet</text>\n</g>\n");
            return;
        }
        double minX = all.Min(p => p.X), maxX = Math.Max(all.Max(p => p.X), minX + 1);
        double minY = all.Min(p => p.Y), maxY = all.Max(p => p.Y);
        if (maxY - minY < 1e-9) { minY -= 0.5; maxY += 0.5; }
        double X(double x) => (x - minX) / (maxX - minX) * PanelWidth;
        double Y(double y) => PanelHeight - (y - minY) / (maxY - minY) * PanelHeight;
        Axes(svg, minX, maxX, minY, maxY);
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.Points.Count == 0) continue;
            string path = string.Join(" ", s.Points.Select((p, k) => string.Create(CultureInfo.InvariantCulture, $"{(k == 0 ? 'M' : 'L')}{X(p.X):F1},{Y(p.Y):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"1.5\"/>\n");
            foreach (var p in s.Points.Count <= 60 ? s.Points : [])
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(p.X):F1}\" cy=\"{Y(p.Y):F1}\" r=\"2\" fill=\"{s.Colour}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{PanelWidth - 90}\" y=\"{16 + 16 * i}\" fill=\"{s.Colour}\">— {WebUtility.HtmlEncode(s.Label)}</text>\n");
        }
        svg.Append("</g>\n");
    }

    private static void Axes(StringBuilder svg, double minX, double maxX, double minY, double maxY)
    {
        for (int k = 0; k <= 4; k++)
        {
            double fraction = k / 4.0;
            double y = PanelHeight - fraction * PanelHeight, x = fraction * PanelWidth;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{y:F1}\" x2=\"{PanelWidth}\" y2=\"{y:F1}\" stroke=\"#eee\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"-4\" y=\"{y + 4:F1}\" text-anchor=\"end\">{minY + fraction * (maxY - minY):G4}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{PanelHeight + 16}\" text-anchor=\"middle\">{minX + fraction * (maxX - minX):0}</text>\n");
        }
    }
}
