using System.Text;
using EncDec.Interop.CTranslate2;

namespace EncDec.Tests.Interop.CTranslate2;

/// <summary>
/// A test-only writer of CTranslate2 <c>model.bin</c> files (binary versions 2 to 6), following the layout of
/// CTranslate2's <c>model_spec.py</c>, plus a tiny random Transformer in CTranslate2's variable names.
/// </summary>
internal sealed class CTranslate2TestWriter
{
    private readonly List<(string Name, int[] Shape, CTranslate2DataType Type, byte[] Data)> _variables = [];
    private readonly List<(string Alias, string Target)> _aliases = [];

    /// <summary>Every float32 variable added with <see cref="Add"/>, by name.</summary>
    public Dictionary<string, float[]> Values { get; } = new(StringComparer.Ordinal);

    public CTranslate2TestWriter Add(string name, int[] shape, float[] values)
    {
        Values[name] = values;
        return AddRaw(name, shape, CTranslate2DataType.Float32, [.. values.SelectMany(BitConverter.GetBytes)]);
    }

    public CTranslate2TestWriter AddRaw(string name, int[] shape, CTranslate2DataType type, byte[] data)
    {
        _variables.Add((name, shape, type, data));
        return this;
    }

    public CTranslate2TestWriter AddScalar(string name, int value, CTranslate2DataType type = CTranslate2DataType.Int32) =>
        AddRaw(name, [], type, type == CTranslate2DataType.Int8 ? [(byte)(sbyte)value] : BitConverter.GetBytes(value));

    public CTranslate2TestWriter Alias(string alias, string target)
    {
        _aliases.Add((alias, target));
        return this;
    }

    public bool Remove(string name) => _variables.RemoveAll(v => v.Name == name) > 0;

    /// <summary>Replaces a float32 variable by random values of another shape.</summary>
    public void Reshape(string name, int[] shape, Random random)
    {
        Remove(name);
        Add(name, shape, RandomValues(random, shape.Aggregate(1, (a, b) => a * b)));
    }

    public byte[] ToBytes(int version = 2, string spec = "TransformerBase", int revision = 2)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((uint)version);
        WriteString(writer, spec);
        writer.Write((uint)revision);
        writer.Write((uint)_variables.Count);
        foreach (var (name, shape, type, data) in _variables)
        {
            WriteString(writer, name);
            writer.Write((byte)shape.Length);
            foreach (int dim in shape) writer.Write((uint)dim);
            int itemSize = CTranslate2DataTypes.ItemSize(type);
            writer.Write(version >= 4 ? (byte)type : (byte)itemSize);
            writer.Write(version >= 4 ? (uint)data.Length : (uint)(data.Length / itemSize));
            writer.Write(data);
        }
        if (version >= 3)
        {
            writer.Write((uint)_aliases.Count);
            foreach (var (alias, target) in _aliases)
            {
                WriteString(writer, alias);
                WriteString(writer, target);
            }
        }
        writer.Flush();
        return stream.ToArray();
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ushort)(bytes.Length + 1));
        writer.Write(bytes);
        writer.Write((byte)0);
    }

    public static float[] RandomValues(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.5f)];

    /// <summary>
    /// A pre-norm Transformer in CTranslate2's names: width <paramref name="dModel"/>, FFN 2·dModel, the given layer
    /// counts, source vocabulary 6 and target vocabulary 7, projection with bias, random values.
    /// </summary>
    public static CTranslate2TestWriter TinyTransformer(int seed, int dModel = 8, int layers = 1)
    {
        var random = new Random(seed);
        var writer = new CTranslate2TestWriter();
        int ffn = 2 * dModel;
        void Linear(string scope, int rows, int columns)
        {
            writer.Add(scope + "/weight", [rows, columns], RandomValues(random, rows * columns));
            writer.Add(scope + "/bias", [rows], RandomValues(random, rows));
        }
        void Norm(string scope)
        {
            writer.Add(scope + "/gamma", [dModel], RandomValues(random, dModel));
            writer.Add(scope + "/beta", [dModel], RandomValues(random, dModel));
        }
        void FeedForward(string layer)
        {
            Norm(layer + "/ffn/layer_norm");
            Linear(layer + "/ffn/linear_0", ffn, dModel);
            Linear(layer + "/ffn/linear_1", dModel, ffn);
        }
        writer.Add("encoder/embeddings/weight", [6, dModel], RandomValues(random, 6 * dModel));
        for (int i = 0; i < layers; i++)
        {
            Norm($"encoder/layer_{i}/self_attention/layer_norm");
            Linear($"encoder/layer_{i}/self_attention/linear_0", 3 * dModel, dModel);
            Linear($"encoder/layer_{i}/self_attention/linear_1", dModel, dModel);
            FeedForward($"encoder/layer_{i}");
        }
        Norm("encoder/layer_norm");
        writer.Add("decoder/embeddings/weight", [7, dModel], RandomValues(random, 7 * dModel));
        for (int i = 0; i < layers; i++)
        {
            Norm($"decoder/layer_{i}/self_attention/layer_norm");
            Linear($"decoder/layer_{i}/self_attention/linear_0", 3 * dModel, dModel);
            Linear($"decoder/layer_{i}/self_attention/linear_1", dModel, dModel);
            Norm($"decoder/layer_{i}/attention/layer_norm");
            Linear($"decoder/layer_{i}/attention/linear_0", dModel, dModel);
            Linear($"decoder/layer_{i}/attention/linear_1", 2 * dModel, dModel);
            Linear($"decoder/layer_{i}/attention/linear_2", dModel, dModel);
            FeedForward($"decoder/layer_{i}");
        }
        Norm("decoder/layer_norm");
        Linear("decoder/projection", 7, dModel);
        return writer;
    }
}

/// <summary>A temporary model folder: model.bin and the two vocabularies, deleted on dispose.</summary>
internal sealed class CTranslate2TestFolder : IDisposable
{
    public CTranslate2TestFolder(byte[] model, int sourceTokens = 5, int targetTokens = 6)
    {
        Path = Directory.CreateTempSubdirectory("encdec-ct2-").FullName;
        File.WriteAllBytes(ModelPath, model);
        // <unk> is absent from both lists, so the reader appends it: 5 + 1 = 6 and 6 + 1 = 7 ids.
        File.WriteAllLines(System.IO.Path.Combine(Path, "source_vocabulary.txt"),
            ["<blank>", "<s>", "</s>", .. Enumerable.Range(0, sourceTokens - 3).Select(i => $"s{i}")]);
        File.WriteAllLines(System.IO.Path.Combine(Path, "target_vocabulary.txt"),
            ["<blank>", "<s>", "</s>", .. Enumerable.Range(0, targetTokens - 3).Select(i => $"t{i}")]);
    }

    public string Path { get; }

    public string ModelPath => System.IO.Path.Combine(Path, "model.bin");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
