using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// A building block with named parameters and named child modules. Names compose with dots into
/// checkpoint keys such as <c>encoder.layers.0.self_attn.q_proj.weight</c>; the order of
/// registration is the order of <see cref="NamedParameters"/>. Modules start in training mode.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = new();
    private readonly List<(string Name, Module Module)> _children = new();

    /// <summary>True in training mode (dropout active), false in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Every parameter with its full dotted name, this module's first, then each child's in order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => PrefixedParameters("");

    /// <summary>Every parameter, in the order of <see cref="NamedParameters"/>.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every child module with its full dotted name, depth first.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        foreach (var (name, child) in _children)
        {
            yield return (name, child);
            foreach (var (inner, module) in child.NamedModules()) yield return ($"{name}.{inner}", module);
        }
    }

    /// <summary>Number of scalar parameters (shared tensors counted once).</summary>
    public long ParameterCount() => Parameters().Distinct<Tensor>(ReferenceEqualityComparer.Instance).Sum(p => (long)p.Count);

    /// <summary>Switches this module and all children to training (true) or evaluation (false) mode.</summary>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
    }

    /// <summary>Evaluation mode: dropout off.</summary>
    public void Eval() => Train(false);

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters()) parameter.ZeroGrad();
    }

    /// <summary>Registers <paramref name="tensor"/> as a trainable parameter called <paramref name="name"/>.</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.RequiresGrad = true;
        tensor.Name ??= name;
        _parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a child module called <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    /// <summary>Registers a list of children as <c>name.0</c>, <c>name.1</c>, ... (e.g. the layers of a stack).</summary>
    protected IReadOnlyList<T> RegisterModules<T>(string name, IReadOnlyList<T> modules) where T : Module
    {
        for (int i = 0; i < modules.Count; i++) RegisterModule($"{name}.{i}", modules[i]);
        return modules;
    }

    private IEnumerable<(string, Tensor)> PrefixedParameters(string prefix)
    {
        foreach (var (name, tensor) in _parameters) yield return (prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var item in child.PrefixedParameters($"{prefix}{name}.")) yield return item;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{GetType().Name}: a parameter or module name must not be empty");
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: the name '{name}' is already registered");
    }
}
