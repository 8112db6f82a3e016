using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>
/// Chooses which SIMD path kernels take. The default is the widest path the CPU supports; the
/// environment variable <c>ENCDEC_SIMD</c> (<c>scalar</c>, <c>avx2</c>, <c>avx512</c>) lowers it for a
/// whole process, and <see cref="Force"/> lowers it for the current thread (tests use this to run
/// every path on one machine). A request above what the CPU supports is clamped down.
/// </summary>
public static class SimdPath
{
    [ThreadStatic] private static SimdLevel? t_forced;

    /// <summary>The widest path this CPU can run.</summary>
    public static SimdLevel Supported { get; } = DetectSupported();

    /// <summary>The process-wide path (from <c>ENCDEC_SIMD</c>, else <see cref="Supported"/>).</summary>
    public static SimdLevel Default { get; set; } = Clamp(ParseEnvironment() ?? Supported);

    /// <summary>The path kernels on this thread take now.</summary>
    public static SimdLevel Current => t_forced ?? Default;

    /// <summary>Forces <paramref name="level"/> (clamped to <see cref="Supported"/>) on this thread until disposed.</summary>
    public static Scope Force(SimdLevel level)
    {
        var previous = t_forced;
        t_forced = Clamp(level);
        return new Scope(previous);
    }

    /// <summary>Every path this CPU can run, narrowest first.</summary>
    public static IReadOnlyList<SimdLevel> Available { get; } =
        Enum.GetValues<SimdLevel>().Where(l => l <= Supported).ToArray();

    internal static SimdLevel Clamp(SimdLevel level) => level <= Supported ? level : Supported;

    private static SimdLevel DetectSupported()
    {
        if (Avx512F.IsSupported && Avx512F.VL.IsSupported && Fma.IsSupported) return SimdLevel.Avx512;
        if (Avx2.IsSupported && Fma.IsSupported) return SimdLevel.Avx2;
        return SimdLevel.Scalar;
    }

    private static SimdLevel? ParseEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("ENCDEC_SIMD");
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Trim().ToLowerInvariant() switch
        {
            "scalar" => SimdLevel.Scalar,
            "avx2" => SimdLevel.Avx2,
            "avx512" => SimdLevel.Avx512,
            _ => throw new InvalidOperationException(
                $"ENCDEC_SIMD='{text}' is not one of scalar, avx2, avx512"),
        };
    }

    /// <summary>Restores the previous thread-local path when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SimdLevel? _previous;
        internal Scope(SimdLevel? previous) => _previous = previous;
        /// <inheritdoc />
        public void Dispose() => t_forced = _previous;
    }
}
