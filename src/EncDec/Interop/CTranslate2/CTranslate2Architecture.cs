using System.Text.RegularExpressions;
using EncDec.Models;
using EncDec.Nn;

namespace EncDec.Interop.CTranslate2;

/// <summary>
/// Infers the <see cref="ModelConfig"/> of a CTranslate2 Transformer from its variables, as CTranslate2's own
/// loader does: widths and vocabulary sizes from the embedding shapes, layer counts from the <c>layer_N</c> scopes,
/// the FFN size from <c>ffn/linear_0</c>, heads from <c>num_heads</c> (or the spec name: TransformerBase 8,
/// TransformerBig 16), pre-norm from <c>pre_norm</c> or the final stack norms, the activation from <c>activation</c>,
/// positions from a stored <c>position_encodings</c> table (else OpenNMT-tf's sinusoids), embedding scaling from
/// <c>scale_embeddings</c> / <c>multiply_by_sqrt_depth</c> (default √dModel), and ties from aliases.
/// </summary>
/// <param name="Config">The configuration to build.</param>
/// <param name="Attributes">The scalar variables read here, which the weight copy must not report as unused.</param>
internal sealed partial record CTranslate2Architecture(ModelConfig Config, IReadOnlySet<string> Attributes)
{
    /// <summary>Longest sequence the sinusoids are precomputed for; CTranslate2's default max_input_length.</summary>
    public const int SinusoidalMaxLength = 1024;

    /// <summary>Attributes that change nothing in the translation: which heads report alignments, how factored
    /// embeddings merge (there is one embedding).</summary>
    private static readonly string[] IgnoredAttributes = ["alignment_layer", "alignment_heads", "embeddings_merge"];

    /// <summary>Infers the architecture.</summary>
    /// <exception cref="InvalidDataException">The spec is not a Transformer encoder-decoder, a needed variable is
    /// missing, or encoder and decoder disagree where one <see cref="TransformerConfig"/> cannot.</exception>
    /// <exception cref="NotSupportedException">A setting this toolkit cannot reproduce (activation, epsilon, scale).</exception>
    public static CTranslate2Architecture Infer(CTranslate2ModelFile file, CTranslate2ModelOptions options)
    {
        if (file.SpecName is not ("" or "TransformerBase" or "TransformerBig" or "TransformerSpec"))
            throw new InvalidDataException($"CTranslate2 model '{file.Path}': spec '{file.SpecName}' is not a Transformer encoder-decoder");
        if (options.LayerNormEpsilon is { } epsilon && Math.Abs(epsilon - 1e-5) > 1e-9)
            throw new NotSupportedException($"CTranslate2 model '{file.Path}': layer_norm_epsilon {epsilon} (EncDec's Transformer layer norms use 1e-5)");
        var attributes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in IgnoredAttributes.SelectMany(a => new[] { a, "encoder/" + a, "decoder/" + a }))
            if (file.Find(name) is { IsScalar: true }) attributes.Add(name);
        var read = new AttributeReader(file, attributes);

        var (sourceVocabulary, dModel) = Matrix(file, "encoder/embeddings/weight");
        var (targetVocabulary, decoderWidth) = Matrix(file, "decoder/embeddings/weight");
        Require(file, decoderWidth == dModel, $"decoder width {decoderWidth} differs from encoder width {dModel}");
        var (positions, maxLength) = Positions(file);
        float sqrtDepth = MathF.Sqrt(dModel);
        var transformer = new TransformerConfig(sourceVocabulary, targetVocabulary,
            DModel: dModel,
            Heads: read.Same("num_heads", SpecHeads(file, options)),
            FfnDim: Matrix(file, "encoder/layer_0/ffn/linear_0/weight").Rows,
            EncoderLayers: CountLayers(file, "encoder"),
            DecoderLayers: CountLayers(file, "decoder"),
            Dropout: 0f,
            PreNorm: read.Same("pre_norm", file.Find("encoder/layer_norm/gamma") is null ? 0 : 1) != 0,
            MaxLength: maxLength,
            ScaleEmbeddings: ScaleEmbeddings(file, read, sqrtDepth),
            Activation: Activation(file, read.Same("activation", 0)),
            TieOutputToEmbedding: SameVariable(file, "decoder/projection/weight", "decoder/embeddings/weight"),
            Bias: file.Find("encoder/layer_0/self_attention/linear_0/bias") is not null,
            Positions: positions,
            EmbeddingLayerNorm: file.Find("encoder/layernorm_embedding/gamma") is not null,
            FinalLogitsBias: file.Find("decoder/projection/bias") is not null);
        var config = new ModelConfig(ModelFamily.Transformer, sourceVocabulary, targetVocabulary, Seed: 0, transformer,
            TieSourceTargetEmbeddings: SameVariable(file, "decoder/embeddings/weight", "encoder/embeddings/weight"));
        return new CTranslate2Architecture(config, attributes);
    }

    /// <summary>Heads implied when no <c>num_heads</c> variable exists: config.json, else the legacy spec names.</summary>
    private static int? SpecHeads(CTranslate2ModelFile file, CTranslate2ModelOptions options) =>
        options.NumHeads ?? file.SpecName switch { "" or "TransformerBase" => 8, "TransformerBig" => 16, _ => null };

    private static (TransformerPositionKind Kind, int MaxLength) Positions(CTranslate2ModelFile file)
    {
        var encoder = file.Find("encoder/position_encodings/encodings");
        var decoder = file.Find("decoder/position_encodings/encodings");
        if (encoder is null && decoder is null) return (TransformerPositionKind.SinusoidalOpenNmt, SinusoidalMaxLength);
        Require(file, encoder is not null && decoder is not null && encoder.Shape.Count == 2 && decoder.Shape.Count == 2
            && encoder.Shape[0] == decoder.Shape[0],
            $"encoder and decoder position tables must both exist with equal rows, got {encoder?.FormatShape() ?? "none"} and {decoder?.FormatShape() ?? "none"}");
        return (TransformerPositionKind.Learned, encoder!.Shape[0]);
    }

    private static bool ScaleEmbeddings(CTranslate2ModelFile file, AttributeReader read, float sqrtDepth)
    {
        float Side(string side)
        {
            var variable = read.Variable($"{side}/scale_embeddings") ?? read.Variable($"{side}/embeddings/multiply_by_sqrt_depth");
            if (variable is null) return sqrtDepth;
            double value = variable.ScalarValue();
            // An int8 attribute is a flag; a float one is the multiplier itself.
            if (variable.DataType == CTranslate2DataType.Int8) return value != 0 ? sqrtDepth : 1f;
            return (float)value;
        }
        float encoder = Side("encoder"), decoder = Side("decoder");
        Require(file, encoder == decoder, $"encoder embedding scale {encoder} differs from decoder scale {decoder}");
        if (MathF.Abs(encoder - sqrtDepth) < 1e-4f * sqrtDepth) return true;
        if (encoder == 1f) return false;
        throw new NotSupportedException($"CTranslate2 model '{file.Path}': embedding scale {encoder} (EncDec scales by √dModel = {sqrtDepth} or 1)");
    }

    private static FeedForwardActivation Activation(CTranslate2ModelFile file, int id) => id switch
    {
        0 => FeedForwardActivation.Relu,
        1 => FeedForwardActivation.GeluTanh,
        2 => FeedForwardActivation.Silu,
        3 => FeedForwardActivation.Gelu,
        _ => throw new NotSupportedException($"CTranslate2 model '{file.Path}': activation id {id} (EncDec reads 0 ReLU, 1 GELU tanh, 2 swish, 3 GELU)"),
    };

    private static bool SameVariable(CTranslate2ModelFile file, string name, string other) =>
        file.Find(name) is { } variable && ReferenceEquals(variable, file.Find(other));

    private static (int Rows, int Columns) Matrix(CTranslate2ModelFile file, string name)
    {
        var variable = file.Get(name);
        Require(file, variable.Shape.Count == 2, $"'{name}' {variable.FormatShape()} must be a matrix");
        return (variable.Shape[0], variable.Shape[1]);
    }

    /// <summary>The number of <c>scope/layer_N/</c> scopes, which must be numbered 0 .. N-1.</summary>
    private static int CountLayers(CTranslate2ModelFile file, string scope)
    {
        var indices = file.Variables.Select(v => v.Name).Concat(file.Aliases.Keys)
            .Select(name => LayerScope().Match(name))
            .Where(match => match.Success && match.Groups[1].Value == scope)
            .Select(match => int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        Require(file, indices.Count > 0, $"no {scope}/layer_N variables");
        Require(file, indices.Max() == indices.Count - 1,
            $"{scope} layers are not numbered 0 .. {indices.Count - 1}: found {string.Join(", ", indices.Order())}");
        return indices.Count;
    }

    [GeneratedRegex(@"^(encoder|decoder)/layer_(\d+)/")]
    private static partial Regex LayerScope();

    private static void Require(CTranslate2ModelFile file, bool condition, string message)
    {
        if (!condition) throw new InvalidDataException($"CTranslate2 model '{file.Path}': {message}");
    }

    /// <summary>Reads scalar attributes (per stack from spec revision 5, at the root before) and records them as used.</summary>
    private sealed class AttributeReader(CTranslate2ModelFile file, HashSet<string> used)
    {
        public CTranslate2Variable? Variable(string name)
        {
            var variable = file.Find(name);
            if (variable is not { IsScalar: true }) return null;
            used.Add(name);
            return variable;
        }

        /// <summary>The attribute for both stacks, which must agree; <paramref name="fallback"/> when absent.</summary>
        public int Same(string name, int? fallback)
        {
            var root = Variable(name);
            var encoder = Variable("encoder/" + name) ?? root;
            var decoder = Variable("decoder/" + name) ?? root;
            int? encoderValue = encoder is null ? fallback : (int)encoder.ScalarValue();
            int? decoderValue = decoder is null ? fallback : (int)decoder.ScalarValue();
            if (encoderValue is null || decoderValue is null)
                throw new InvalidDataException($"CTranslate2 model '{file.Path}': no '{name}' variable and spec '{file.SpecName}' does not imply one");
            if (encoderValue != decoderValue)
                throw new InvalidDataException($"CTranslate2 model '{file.Path}': encoder {name} {encoderValue} differs from decoder {name} {decoderValue}");
            return encoderValue.Value;
        }
    }
}
