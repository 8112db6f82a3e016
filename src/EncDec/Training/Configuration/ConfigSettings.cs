using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EncDec.Training.Configuration;

/// <summary>
/// A flat view of a nested configuration: dotted snake_case keys such as <c>optimizer.learning_rate</c> mapped to
/// their scalar values, read from a YAML file and then overridden by <c>key=value</c> pairs from the command
/// line. <see cref="ConfigBinder"/> turns it into records. YAML is parsed with YamlDotNet; only mappings and
/// scalars are accepted, since every setting is a number, a flag, a name or a path.
/// </summary>
public sealed class ConfigSettings
{
    private readonly Dictionary<string, ConfigValue> _values = new(StringComparer.Ordinal);

    /// <summary>Every key and its value.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Values => _values;

    /// <summary>Reads a YAML file of nested mappings.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The YAML is malformed, or holds a sequence or a repeated key; the message names the file and line.</exception>
    public static ConfigSettings FromYamlFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file '{path}' does not exist", path);
        using var reader = new StreamReader(path);
        return FromYaml(reader, path);
    }

    /// <summary>Reads YAML text; <paramref name="sourceName"/> names it in errors.</summary>
    public static ConfigSettings FromYaml(TextReader reader, string sourceName)
    {
        var settings = new ConfigSettings();
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{sourceName}:{e.Start.Line}: invalid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0) return settings;
        if (stream.Documents.Count > 1) throw new InvalidDataException($"{sourceName}: holds {stream.Documents.Count} YAML documents; expected one");
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" }) return settings;
        if (root is not YamlMappingNode mapping)
            throw new InvalidDataException($"{sourceName}:{root.Start.Line}: the top level must be a mapping of sections");
        settings.AddMapping(mapping, "", sourceName);
        return settings;
    }

    /// <summary>Applies one <c>key=value</c> override (the key dotted, as in the YAML nesting).</summary>
    /// <exception cref="ArgumentException">The text has no '=' or an empty key.</exception>
    public void Override(string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"override '{assignment}' is not of the form section.key=value");
        string key = assignment[..equals].Trim().Replace('-', '_');
        _values[key] = new ConfigValue(assignment[(equals + 1)..].Trim(), "command line");
    }

    private void AddMapping(YamlMappingNode mapping, string prefix, string sourceName)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string name = keyNode is YamlScalarNode { Value: { } text } ? text.Replace('-', '_')
                : throw new InvalidDataException($"{sourceName}:{keyNode.Start.Line}: a key must be a plain name");
            string key = prefix + name;
            switch (valueNode)
            {
                case YamlMappingNode nested:
                    AddMapping(nested, key + ".", sourceName);
                    break;
                case YamlScalarNode scalar:
                    if (!_values.TryAdd(key, new ConfigValue(scalar.Value ?? "", $"{sourceName}:{scalar.Start.Line}")))
                        throw new InvalidDataException($"{sourceName}:{keyNode.Start.Line}: key '{key}' is set twice");
                    break;
                default:
                    throw new InvalidDataException($"{sourceName}:{valueNode.Start.Line}: '{key}' must be a scalar or a mapping, not a list");
            }
        }
    }
}
