using System.Text;
using EncDec.Data;

namespace EncDec.Evaluation;

/// <summary>
/// Attention heatmaps as a self-contained page: inline SVG and a little CSS, no scripts, no external resources, so the
/// file can be mailed, archived or opened offline. Independent of models: callers pass tokens and weight matrices
/// (one map per layer and head, plus the head average).
/// </summary>
public static class AttentionPage
{
    private const string Style = """
        body { font-family: sans-serif; margin: 24px; color: #222; background: #fff; }
        h1 { font-size: 20px; }
        h2 { font-size: 16px; margin: 28px 0 6px; }
        p.tokens { font-family: monospace; font-size: 13px; margin: 2px 0; overflow-wrap: anywhere; }
        p.tokens b { font-family: sans-serif; display: inline-block; width: 4em; }
        div.maps { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
        figure { margin: 0; border: 1px solid #ddd; padding: 6px; }
        figcaption { font-size: 13px; font-weight: bold; margin-bottom: 4px; }
        rect.cell:hover { stroke: #e6550d; stroke-width: 2; }
        """;

    /// <summary>One heatmap as a standalone SVG document (well-formed XML).</summary>
    /// <exception cref="ArgumentException"><paramref name="map"/> does not fit the example's tokens, or holds a non-finite weight.</exception>
    public static string RenderSvg(AttentionExample example, AttentionMap map) => AttentionSvg.Render(example, map);

    /// <summary>A complete HTML page with a section per example and a figure per map (the page is also well-formed XML).</summary>
    /// <exception cref="ArgumentException">An example is invalid (see <see cref="AttentionExample.Validate()"/>).</exception>
    public static string RenderHtml(IReadOnlyList<AttentionExample> examples, string title = "Attention weights")
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append($"<title>{Markup.Escape(title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n")
            .Append($"<h1>{Markup.Escape(title)}</h1>\n");
        foreach (var example in examples)
        {
            example.Validate();
            html.Append("<section class=\"example\">\n")
                .Append($"<h2>{Markup.Escape(example.Title)}</h2>\n")
                .Append($"<p class=\"tokens\"><b>source</b>{Markup.Escape(string.Join(' ', example.SourceTokens))}</p>\n")
                .Append($"<p class=\"tokens\"><b>target</b>{Markup.Escape(string.Join(' ', example.TargetTokens))}</p>\n")
                .Append("<div class=\"maps\">\n");
            foreach (var map in example.Maps)
            {
                html.Append($"<figure>\n<figcaption>{Markup.Escape(map.Label)}</figcaption>\n")
                    .Append(AttentionSvg.Render(example, map)).Append("\n</figure>\n");
            }
            html.Append("</div>\n</section>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes <see cref="RenderHtml"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void WriteHtml(string path, IReadOnlyList<AttentionExample> examples, string title = "Attention weights") =>
        AtomicFile.WriteText(path, RenderHtml(examples, title));

    /// <summary>Writes <see cref="RenderSvg"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void WriteSvg(string path, AttentionExample example, AttentionMap map) =>
        AtomicFile.WriteText(path, RenderSvg(example, map));
}
