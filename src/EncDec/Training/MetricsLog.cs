using System.Globalization;
using System.Text;
using System.Text.Json;
using EncDec.Data;

namespace EncDec.Training;

/// <summary>One line of <c>metrics.jsonl</c>: a kind (<c>train</c> or <c>valid</c>), the step, and named numbers.</summary>
/// <param name="Kind"><c>train</c> for a training-loss report, <c>valid</c> for a validation.</param>
/// <param name="Step">The update after which it was measured.</param>
/// <param name="Values">The numbers, e.g. loss, perplexity, learning_rate, tokens_per_s, bleu, chrf.</param>
public sealed record MetricRecord(string Kind, long Step, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// Appends <see cref="MetricRecord"/>s to a JSON Lines file, one object per line such as
/// <c>{"kind":"train","step":100,"loss":5.31,...}</c>, flushed after every line so a crash loses nothing
/// already reported. A resumed run first drops the lines written after its checkpoint, so the file reads as
/// one uninterrupted run.
/// </summary>
public sealed class MetricsLog
{
    private readonly List<MetricRecord> _records = [];

    /// <summary>Opens <paramref name="path"/>, keeping the records up to <paramref name="keepUpToStep"/> (all when null)
    /// and starting a new file otherwise.</summary>
    public MetricsLog(string path, long? keepUpToStep)
    {
        Path = path;
        if (keepUpToStep is { } last && File.Exists(path))
            _records.AddRange(ReadAll(path).Where(r => r.Step <= last));
        AtomicFile.WriteText(path, writer => { foreach (var record in _records) writer.WriteLine(Format(record)); });
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Every record so far, in order.</summary>
    public IReadOnlyList<MetricRecord> Records => _records;

    /// <summary>Appends one record.</summary>
    public void Append(MetricRecord record)
    {
        _records.Add(record);
        File.AppendAllText(Path, Format(record) + "\n");
    }

    /// <summary>The JSON line of a record (keys in order: kind, step, then the values as given).</summary>
    public static string Format(MetricRecord record)
    {
        var builder = new StringBuilder();
        builder.Append("{\"kind\":").Append(JsonSerializer.Serialize(record.Kind)).Append(",\"step\":").Append(record.Step);
        foreach (var (name, value) in record.Values)
        {
            builder.Append(',').Append(JsonSerializer.Serialize(name)).Append(':');
            builder.Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        return builder.Append('}').ToString();
    }

    /// <summary>Reads a metrics file; a malformed line throws <see cref="InvalidDataException"/> naming the file and line.</summary>
    public static IReadOnlyList<MetricRecord> ReadAll(string path)
    {
        var records = new List<MetricRecord>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var values = new Dictionary<string, double>();
                string kind = "";
                long step = 0;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name == "kind") kind = property.Value.GetString() ?? "";
                    else if (property.Name == "step") step = property.Value.GetInt64();
                    else values[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? double.NaN : property.Value.GetDouble();
                }
                records.Add(new MetricRecord(kind, step, values));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: malformed metrics line: {e.Message}", e);
            }
        }
        return records;
    }
}
