namespace EncDec.Data.Synthetic;

/// <summary>The built-in synthetic tasks by name, each with its default configuration.</summary>
public static class SyntheticTasks
{
    private static readonly Dictionary<string, Func<ISyntheticTask>> Factories = new(StringComparer.Ordinal)
    {
        ["en-fr"] = () => new EnglishFrenchGrammar(),
        ["reverse"] = () => new SymbolSequenceTask(SymbolTransform.Reverse),
        ["sort"] = () => new SymbolSequenceTask(SymbolTransform.Sort),
        ["copy"] = () => new SymbolSequenceTask(SymbolTransform.Copy),
        ["dates"] = () => new DateNormalisationTask(),
    };

    /// <summary>The task names in a fixed order: en-fr, reverse, sort, copy, dates.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Factories.Keys];

    /// <summary>A new instance of the task called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No task has that name; the message lists the names there are.</exception>
    public static ISyntheticTask Get(string name) =>
        Factories.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"unknown synthetic task '{name}': the tasks are {string.Join(", ", Names)}", nameof(name));
}
