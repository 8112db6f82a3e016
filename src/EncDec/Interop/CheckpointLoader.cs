using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Interop;

/// <summary>
/// Saves a module's parameters to safetensors under their dotted names, and loads them back
/// all-or-nothing: every name, shape and dtype is checked before the first value is copied, all
/// mismatches are reported together, and a failed load leaves the module untouched.
/// </summary>
public static class CheckpointLoader
{
    /// <summary>Writes every parameter of <paramref name="module"/> as F32, in <see cref="Module.NamedParameters"/> order.</summary>
    public static void Save(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsWriter.Write(path, module.NamedParameters().Select(p => (p.Name, p.Parameter)), metadata);

    /// <summary>
    /// Copies each tensor of the file at <paramref name="path"/> into the parameter of the same name.
    /// Throws <see cref="InvalidDataException"/> listing every missing tensor, unexpected tensor,
    /// shape mismatch (both shapes) and unconvertible dtype, having changed nothing.
    /// </summary>
    public static void Load(Module module, string path)
    {
        using var file = SafeTensorsFile.Open(path);
        var parameters = module.NamedParameters().ToList();
        var problems = FindMismatches(parameters, file);
        if (problems.Count > 0)
            throw new InvalidDataException(
                $"checkpoint '{path}' does not fit {module.GetType().Name} ({problems.Count} problem(s), nothing loaded):"
                + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        // Validation is complete; from here only an I/O fault of the mapped file could interrupt the copy.
        foreach (var (name, parameter) in parameters) file.ReadInto(file.GetEntry(name), parameter.AsSpan());
    }

    private static List<string> FindMismatches(List<(string Name, Tensor Parameter)> parameters, SafeTensorsFile file)
    {
        var problems = new List<string>();
        var expected = new HashSet<string>();
        foreach (var (name, parameter) in parameters)
        {
            expected.Add(name);
            if (!file.Contains(name))
            {
                problems.Add($"missing tensor '{name}' {ShapeMath.Format(parameter.Shape)}");
                continue;
            }
            var entry = file.GetEntry(name);
            if (!entry.Shape.SequenceEqual(parameter.Shape.ToArray()))
                problems.Add($"shape mismatch for '{name}': checkpoint {entry.FormatShape()}, model {ShapeMath.Format(parameter.Shape)}");
            if (!SafeTensorsDTypes.IsReadableAsFloat(entry.DType))
                problems.Add($"dtype mismatch for '{name}': checkpoint {SafeTensorsDTypes.HeaderName(entry.DType)}, model F32");
            if (!parameter.IsContiguous)
                problems.Add($"parameter '{name}' is not contiguous and cannot be loaded in place");
        }
        foreach (var entry in file.Entries)
            if (!expected.Contains(entry.Name))
                problems.Add($"unexpected tensor '{entry.Name}' {entry.FormatShape()} (no such parameter)");
        return problems;
    }
}
