using System.Globalization;
using System.Xml.Linq;
using EncDec.Evaluation;

namespace EncDec.Tests.Evaluation.AttentionHeatmaps;

public sealed class AttentionPageTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-attention-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Row-normalised weights peaking on a shifted diagonal, like a monotone alignment.</summary>
    internal static float[][] Alignment(int targets, int sources, int shift = 0) =>
        [.. Enumerable.Range(0, targets).Select(t =>
        {
            var row = Enumerable.Range(0, sources).Select(s => MathF.Exp(-MathF.Abs(s - (t + shift) * (float)sources / targets))).ToArray();
            float sum = row.Sum();
            return row.Select(w => w / sum).ToArray();
        })];

    internal static AttentionExample Example(int targets, int sources, string title = "example") => new(title,
        [.. Enumerable.Range(0, sources).Select(i => $"src{i}")], [.. Enumerable.Range(0, targets).Select(i => $"tgt{i}")],
        [new AttentionMap("layer 1, head 1", Alignment(targets, sources)), new AttentionMap("layer 1, mean of heads", Alignment(targets, sources, 1))]);

    private static XElement[] Cells(XDocument svg) =>
        [.. svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "cell")];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(100, 100)]
    [InlineData(7, 60)]
    public void Svg_IsWellFormed_WithACellPerWeight(int targets, int sources)
    {
        var example = Example(targets, sources);
        var document = XDocument.Parse(AttentionPage.RenderSvg(example, example.Maps[0]));

        Assert.Equal(Svg + "svg", document.Root!.Name);
        var cells = Cells(document);
        Assert.Equal(targets * sources, cells.Length);
        Assert.All(cells, cell => Assert.Single(cell.Elements(Svg + "title")));
        Assert.True(double.Parse((string)document.Root.Attribute("width")!, CultureInfo.InvariantCulture) < 1400, "fits a page");
    }

    [Fact]
    public void Cells_AreLaidOutSourceAlongXAndTargetAlongY()
    {
        var example = Example(2, 3);
        var cells = Cells(XDocument.Parse(AttentionPage.RenderSvg(example, example.Maps[0])));
        double X(int i) => double.Parse((string)cells[i].Attribute("x")!, CultureInfo.InvariantCulture);
        double Y(int i) => double.Parse((string)cells[i].Attribute("y")!, CultureInfo.InvariantCulture);

        Assert.True(X(0) < X(1) && X(1) < X(2) && Y(0) == Y(2));   // row 0: sources 0, 1, 2 left to right
        Assert.True(Y(3) > Y(0) && X(3) == X(0));                  // row 1 below row 0
        Assert.Equal("tgt1 \u2192 src2: " + example.Maps[0].Weights[1][2].ToString("0.000", CultureInfo.InvariantCulture),
            cells[5].Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Tokens_AreEscaped()
    {
        string[] source = ["<b>", "a&b", "\"q\"", "it's", "\u0001"];
        var example = new AttentionExample("<script>alert(1)</script>", source, ["</svg>"], [new AttentionMap("h & m", [new float[5]])]);
        string svg = AttentionPage.RenderSvg(example, example.Maps[0]);
        string html = AttentionPage.RenderHtml([example]);

        Assert.DoesNotContain("<b>", svg);
        Assert.DoesNotContain("<script>", html);
        var document = XDocument.Parse(svg);
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToHashSet();
        Assert.Superset(new HashSet<string>(["<b>", "a&b", "\"q\"", "it's", "\uFFFD", "</svg>"]), texts);
        Assert.Contains(document.Descendants(Svg + "title"), t => t.Value == "</svg> \u2192 a&b: 0.000");
    }

    [Fact]
    public void ColourScale_DarkensMonotonically()
    {
        var luminance = Enumerable.Range(0, 1001).Select(i => AttentionColourScale.Luminance(AttentionColourScale.Colour(i / 1000f))).ToArray();
        for (int i = 1; i < luminance.Length; i++) Assert.True(luminance[i] <= luminance[i - 1], $"luminance rises at {i / 1000.0}");
        Assert.True(luminance[0] > 0.9 && luminance[^1] < 0.05);
        Assert.Equal("#08306b", AttentionColourScale.Hex(1f));
        Assert.Equal(AttentionColourScale.Hex(1f), AttentionColourScale.Hex(3f));     // saturates
        Assert.Equal(AttentionColourScale.Hex(0f), AttentionColourScale.Hex(-1f));
    }

    [Fact]
    public void RenderedCells_AreDarkerWhereWeightsAreLarger()
    {
        var example = Example(6, 9);
        var cells = Cells(XDocument.Parse(AttentionPage.RenderSvg(example, example.Maps[0])))
            .Select(c => (Weight: float.Parse((string)c.Attribute("data-weight")!, CultureInfo.InvariantCulture), Fill: (string)c.Attribute("fill")!))
            .OrderBy(c => c.Weight).ToArray();
        var luminances = cells.Select(c => AttentionColourScale.Luminance(
            (Convert.ToByte(c.Fill[1..3], 16), Convert.ToByte(c.Fill[3..5], 16), Convert.ToByte(c.Fill[5..7], 16)))).ToArray();
        for (int i = 1; i < luminances.Length; i++) Assert.True(luminances[i] <= luminances[i - 1]);
        Assert.True(luminances[0] > luminances[^1]);
    }

    [Fact]
    public void Html_HasASectionPerExampleAndAFigurePerMap_AndNoExternalResources()
    {
        string html = AttentionPage.RenderHtml([Example(4, 5, "first"), Example(3, 2, "second & last")], "demo <page>");
        var document = XDocument.Parse(html.Replace("<!DOCTYPE html>", ""));   // the page is also well-formed XML

        Assert.Equal(["first", "second & last"], document.Descendants("section").Select(s => s.Element("h2")!.Value));
        Assert.Equal(4, document.Descendants("figure").Count());
        Assert.Equal(4, document.Descendants(Svg + "svg").Count());
        Assert.Equal("demo <page>", document.Descendants("title").First().Value);
        Assert.Empty(document.Descendants("script"));
        Assert.DoesNotContain(document.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
    }

    [Fact]
    public void MismatchedShape_IsRefused_NamingExampleMapAndSizes()
    {
        var example = new AttentionExample("ex", ["a", "b"], ["x"], [new AttentionMap("head 2", [new float[3]])]);
        var error = Assert.Throws<ArgumentException>(() => AttentionPage.RenderHtml([example]));
        Assert.Equal("attention example 'ex', map 'head 2': row 0 has 3 weights for 2 source tokens", error.Message);

        var rows = example with { Maps = [new AttentionMap("head 3", [new float[2], new float[2]])] };
        Assert.Contains("2 rows of weights for 1 target tokens", Assert.Throws<ArgumentException>(() => AttentionPage.RenderHtml([rows])).Message);
    }

    [Fact]
    public void NonFiniteWeight_IsRefused_NamingItsPosition()
    {
        var example = new AttentionExample("ex", ["a", "b"], ["x"], [new AttentionMap("head 1", [[0.5f, float.NaN]])]);
        Assert.Contains("weight [0][1] is NaN", Assert.Throws<ArgumentException>(() => AttentionPage.RenderSvg(example, example.Maps[0])).Message);
    }

    [Fact]
    public void Write_ProducesTheRenderedFiles()
    {
        var example = Example(3, 4);
        string html = Path.Combine(_folder, "attention.html"), svg = Path.Combine(_folder, "head.svg");
        AttentionPage.WriteHtml(html, [example]);
        AttentionPage.WriteSvg(svg, example, example.Maps[1]);

        Assert.Equal(AttentionPage.RenderHtml([example]), File.ReadAllText(html));
        Assert.Equal(AttentionPage.RenderSvg(example, example.Maps[1]), File.ReadAllText(svg));
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
    }
}
