using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Interop.CTranslate2;

/// <summary>
/// Which CTranslate2 variable fills each parameter of an EncDec Transformer, and the checked copy. CTranslate2
/// fuses projections: a self-attention's <c>linear_0</c> (3·dModel, dModel) stacks Q, K, V row blocks in that
/// order (heads contiguous inside each block), a cross-attention's <c>linear_1</c> (2·dModel, dModel) stacks K
/// and V; both are split by rows into <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>. Layer norms store
/// <c>gamma</c>/<c>beta</c>; the decoder's <c>projection/bias</c> becomes <c>final_logits_bias</c>.
/// </summary>
internal static class CTranslate2WeightMap
{
    /// <summary>A parameter's source: row block <paramref name="Part"/> of <paramref name="Parts"/> equal blocks of a variable.</summary>
    /// <param name="Variable">The CTranslate2 variable name.</param>
    /// <param name="Part">Which row block.</param>
    /// <param name="Parts">How many equal row blocks the variable holds.</param>
    public readonly record struct Source(string Variable, int Part = 0, int Parts = 1);

    private enum Leaf { Linear, Norm, Table }

    /// <summary>Our module path inside a layer → (CTranslate2 scope inside layer_N, block, blocks, leaf naming).</summary>
    private static readonly Dictionary<string, (string Scope, int Part, int Parts, Leaf Leaf)> LayerModules = new()
    {
        ["self_attn.q_proj"] = ("self_attention/linear_0", 0, 3, Leaf.Linear),
        ["self_attn.k_proj"] = ("self_attention/linear_0", 1, 3, Leaf.Linear),
        ["self_attn.v_proj"] = ("self_attention/linear_0", 2, 3, Leaf.Linear),
        ["self_attn.out_proj"] = ("self_attention/linear_1", 0, 1, Leaf.Linear),
        ["self_attn_layer_norm"] = ("self_attention/layer_norm", 0, 1, Leaf.Norm),
        ["encoder_attn.q_proj"] = ("attention/linear_0", 0, 1, Leaf.Linear),
        ["encoder_attn.k_proj"] = ("attention/linear_1", 0, 2, Leaf.Linear),
        ["encoder_attn.v_proj"] = ("attention/linear_1", 1, 2, Leaf.Linear),
        ["encoder_attn.out_proj"] = ("attention/linear_2", 0, 1, Leaf.Linear),
        ["encoder_attn_layer_norm"] = ("attention/layer_norm", 0, 1, Leaf.Norm),
        ["ffn.fc1"] = ("ffn/linear_0", 0, 1, Leaf.Linear),
        ["ffn.fc2"] = ("ffn/linear_1", 0, 1, Leaf.Linear),
        ["final_layer_norm"] = ("ffn/layer_norm", 0, 1, Leaf.Norm),
    };

    /// <summary>Our module path directly under a stack → (CTranslate2 scope under encoder/ or decoder/, leaf naming).</summary>
    private static readonly Dictionary<string, (string Scope, Leaf Leaf)> StackModules = new()
    {
        ["embed_tokens"] = ("embeddings", Leaf.Linear),
        ["embed_positions"] = ("position_encodings", Leaf.Table),
        ["layernorm_embedding"] = ("layernorm_embedding", Leaf.Norm),
        ["layer_norm"] = ("layer_norm", Leaf.Norm),
        ["output_projection"] = ("projection", Leaf.Linear),
    };

    /// <summary>The CTranslate2 source of EncDec parameter <paramref name="parameter"/>
    /// (e.g. <c>decoder.layers.3.encoder_attn.k_proj.weight</c>), or null when it has none.</summary>
    public static Source? SourceOf(string parameter)
    {
        if (parameter == "decoder.final_logits_bias") return new Source("decoder/projection/bias");
        int firstDot = parameter.IndexOf('.'), lastDot = parameter.LastIndexOf('.');
        if (firstDot < 0 || firstDot == lastDot) return null;
        string stack = parameter[..firstDot], module = parameter[(firstDot + 1)..lastDot], leaf = parameter[(lastDot + 1)..];
        if (stack is not ("encoder" or "decoder")) return null;
        if (StackModules.TryGetValue(module, out var top))
            return LeafName(top.Leaf, leaf) is { } name ? new Source($"{stack}/{top.Scope}/{name}") : null;
        var parts = module.Split('.', 3);   // layers, N, module inside the layer
        if (parts.Length != 3 || parts[0] != "layers" || !int.TryParse(parts[1], out int index)
            || !LayerModules.TryGetValue(parts[2], out var inner))
            return null;
        return LeafName(inner.Leaf, leaf) is { } innerName
            ? new Source($"{stack}/layer_{index}/{inner.Scope}/{innerName}", inner.Part, inner.Parts)
            : null;
    }

    private static string? LeafName(Leaf kind, string leaf) => (kind, leaf) switch
    {
        (Leaf.Linear, "weight" or "bias") => leaf,
        (Leaf.Norm, "weight") => "gamma",
        (Leaf.Norm, "bias") => "beta",
        (Leaf.Table, "weight") => "encodings",
        _ => null,
    };

    /// <summary>
    /// Fills every parameter of <paramref name="model"/> from <paramref name="file"/>, all or nothing: a parameter
    /// without a source, a missing variable, a shape that does not fit, a quantized weight without its scale, or a
    /// stored variable that no parameter (and no attribute in <paramref name="attributes"/>) used are all reported
    /// together in one <see cref="InvalidDataException"/> before any value is copied.
    /// </summary>
    public static void Copy(CTranslate2ModelFile file, Module model, IReadOnlySet<string> attributes)
    {
        var problems = new List<string>();
        var used = new HashSet<CTranslate2Variable>(ReferenceEqualityComparer.Instance);
        var plan = new List<(Tensor Parameter, CTranslate2Variable Variable, CTranslate2Variable? Scale, int Part, int Parts)>();
        foreach (var (name, parameter) in model.NamedParameters())
            if (Plan(file, name, parameter, used, problems) is { } step) plan.Add((parameter, step.Variable, step.Scale, step.Part, step.Parts));
        foreach (var variable in file.Variables)
            if (!used.Contains(variable) && !attributes.Contains(variable.Name))
                problems.Add($"CTranslate2 variable '{variable.Name}' {variable.FormatShape()} is not used by any EncDec parameter (a feature this reader does not support)");
        if (problems.Count > 0)
            throw new InvalidDataException($"CTranslate2 model '{file.Path}' does not fit the inferred Transformer ({problems.Count} problem(s), nothing loaded):"
                + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        var values = new Dictionary<CTranslate2Variable, float[]>(ReferenceEqualityComparer.Instance);
        foreach (var (parameter, variable, scale, part, parts) in plan)
        {
            if (!values.TryGetValue(variable, out var all)) values[variable] = all = variable.ToFloats(scale);
            int block = all.Length / parts;
            all.AsSpan(part * block, block).CopyTo(parameter.AsSpan());
        }
    }

    /// <summary>Checks one parameter against its source; records problems and returns null when it cannot be filled.</summary>
    private static (CTranslate2Variable Variable, CTranslate2Variable? Scale, int Part, int Parts)? Plan(
        CTranslate2ModelFile file, string name, Tensor parameter, HashSet<CTranslate2Variable> used, List<string> problems)
    {
        string ours = $"parameter '{name}' {ShapeMath.Format(parameter.Shape)}";
        if (SourceOf(name) is not { } source)
        {
            problems.Add($"{ours} has no CTranslate2 counterpart");
            return null;
        }
        if (file.Find(source.Variable) is not { } variable)
        {
            problems.Add($"missing CTranslate2 variable '{source.Variable}' for {ours}");
            return null;
        }
        used.Add(variable);
        CTranslate2Variable? scale = null;
        if (variable.DataType is CTranslate2DataType.Int8 or CTranslate2DataType.Int16)
        {
            scale = file.Find(source.Variable + "_scale");
            if (scale is null) problems.Add($"quantized CTranslate2 variable '{source.Variable}' ({variable.DataType}) has no '{source.Variable}_scale'");
            else used.Add(scale);
        }
        else if (variable.DataType == CTranslate2DataType.Int32)
            problems.Add($"CTranslate2 variable '{source.Variable}' holds int32 values, not weights, for {ours}");
        int[] expected = [.. variable.Shape];
        if (expected.Length == 0 || expected[0] % source.Parts != 0)
        {
            problems.Add($"CTranslate2 variable '{source.Variable}' {variable.FormatShape()} cannot be split into {source.Parts} row blocks for {ours}");
            return null;
        }
        expected[0] /= source.Parts;
        if (!expected.AsSpan().SequenceEqual(parameter.Shape))
        {
            string block = source.Parts == 1 ? "" : $" (row block {source.Part + 1} of {source.Parts}: {ShapeMath.Format(expected)})";
            problems.Add($"shape mismatch: CTranslate2 variable '{source.Variable}' {variable.FormatShape()}{block} vs {ours}");
            return null;
        }
        if (!parameter.IsContiguous) problems.Add($"{ours} is not contiguous and cannot be filled in place");
        return scale is null && variable.DataType is CTranslate2DataType.Int8 or CTranslate2DataType.Int16
            ? null
            : (variable, scale, source.Part, source.Parts);
    }
}
