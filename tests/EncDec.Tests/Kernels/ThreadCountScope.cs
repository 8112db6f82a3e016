using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>Sets <see cref="Parallelism.ThreadCount"/> until disposed, then restores the previous value: tests that
/// compare thread counts write <c>using var threads = ThreadCountScope.Use(2);</c> instead of a try/finally.</summary>
internal readonly struct ThreadCountScope : IDisposable
{
    private readonly int _previous;

    private ThreadCountScope(int previous) => _previous = previous;

    /// <summary>Uses <paramref name="threads"/> threads from now until the scope is disposed.</summary>
    public static ThreadCountScope Use(int threads)
    {
        var scope = new ThreadCountScope(Parallelism.ThreadCount);
        Parallelism.ThreadCount = threads;
        return scope;
    }

    /// <inheritdoc />
    public void Dispose() => Parallelism.ThreadCount = _previous;
}
