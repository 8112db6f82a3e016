using System.Xml.Linq;
using EncDec.Training;

namespace EncDec.Tests.Training;

public sealed class MetricsLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-metrics-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static MetricRecord Train(long step, double loss) => new("train", step, new Dictionary<string, double> { ["loss"] = loss });

    [Fact]
    public void Append_WritesOneJsonObjectPerLine_AndReadsBack()
    {
        string path = Path.Combine(_folder, "metrics.jsonl");
        var log = new MetricsLog(path, keepUpToStep: null);
        log.Append(Train(1, 2.5));
        log.Append(new MetricRecord("valid", 2, new Dictionary<string, double> { ["bleu"] = 33.25, ["chrf"] = double.NaN }));
        string[] lines = File.ReadAllLines(path);
        Assert.Equal("{\"kind\":\"train\",\"step\":1,\"loss\":2.5}", lines[0]);
        Assert.Equal("{\"kind\":\"valid\",\"step\":2,\"bleu\":33.25,\"chrf\":null}", lines[1]);
        var back = MetricsLog.ReadAll(path);
        Assert.Equal(33.25, back[1].Values["bleu"]);
        Assert.True(double.IsNaN(back[1].Values["chrf"]));
    }

    [Fact]
    public void Resume_DropsLinesAfterTheCheckpointStep()
    {
        string path = Path.Combine(_folder, "metrics.jsonl");
        var log = new MetricsLog(path, null);
        for (int step = 1; step <= 5; step++) log.Append(Train(step, step));
        var resumed = new MetricsLog(path, keepUpToStep: 3);
        Assert.Equal([1L, 2, 3], resumed.Records.Select(r => r.Step));
        Assert.Equal(3, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void MalformedLine_NamesFileAndLine()
    {
        string path = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllLines(path, ["{\"kind\":\"train\",\"step\":1}", "{not json"]);
        var e = Assert.Throws<InvalidDataException>(() => MetricsLog.ReadAll(path));
        Assert.Contains("bad.jsonl:2", e.Message);
    }

    [Fact]
    public void Curve_IsWellFormedSvg_WithOneLinePerSeries()
    {
        var records = new List<MetricRecord> { Train(10, 5), Train(20, 4), Train(30, 3.5) };
        records.Add(new MetricRecord("valid", 30, new Dictionary<string, double> { ["loss"] = 3.9, ["bleu"] = 12, ["chrf"] = 40 }));
        var svg = XDocument.Parse(TrainingCurve.Render(records, "run <1>"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(4, svg.Descendants(ns + "path").Count());
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "run <1>");
    }

    [Fact]
    public void Curve_WithoutData_StillRenders()
    {
        var svg = XDocument.Parse(TrainingCurve.Render([], "empty"));
        Assert.Contains(svg.Descendants(), e => e.Value == "no data yet");
    }
}
