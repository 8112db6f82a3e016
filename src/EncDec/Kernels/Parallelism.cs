namespace EncDec.Kernels;

/// <summary>
/// The one thread-count setting that governs every parallel kernel. Defaults to all cores, or to the
/// environment variable <c>ENCDEC_THREADS</c> when set.
/// </summary>
public static class Parallelism
{
    private static int s_threadCount = ReadEnvironment() ?? Environment.ProcessorCount;

    /// <summary>Threads parallel kernels may use (at least 1).</summary>
    public static int ThreadCount
    {
        get => s_threadCount;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be at least 1");
            s_threadCount = value;
        }
    }

    private static int? ReadEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("ENCDEC_THREADS");
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text, out int n) && n >= 1) return n;
        throw new InvalidOperationException($"ENCDEC_THREADS='{text}' is not a positive integer");
    }
}
