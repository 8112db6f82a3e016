using EncDec.Tensors;

namespace EncDec.Data.Synthetic;

/// <summary>
/// An unlimited, seeded source of (source, target) pairs: the same generator state always yields the same pair, so a
/// corpus is fixed by its seed. Each pair's target is a function of its source (no source has two targets), which
/// makes a well-trained model able to reach an exact-match accuracy of 100%.
/// </summary>
public interface ISyntheticTask
{
    /// <summary>The name that <see cref="SyntheticTasks.Get"/> and <c>encdec data synth --task</c> know it by.</summary>
    string Name { get; }

    /// <summary>One sentence describing the pairs, for listings and help.</summary>
    string Description { get; }

    /// <summary>Draws the next pair, consuming draws from <paramref name="random"/> only.</summary>
    SyntheticPair Next(RandomGenerator random);
}
