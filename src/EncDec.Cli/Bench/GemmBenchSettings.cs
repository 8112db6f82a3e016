namespace EncDec.Cli.Bench;

/// <summary>What <c>encdec bench gemm</c> measures and how.</summary>
/// <param name="Sizes">Problems to time.</param>
/// <param name="Threads">Threads for both libraries.</param>
/// <param name="Repeat">Timed repetitions per size and library (the best counts).</param>
/// <param name="MinTime">Seconds per repetition, at least.</param>
/// <param name="Json">One JSON object per line instead of a table.</param>
/// <param name="VectorWidth">Overrides <c>Gemm.PreferredVectorWidth</c> for the run (256 or 512), or null.</param>
public sealed record GemmBenchSettings(
    IReadOnlyList<GemmShape> Sizes, int Threads, int Repeat, double MinTime, bool Json, int? VectorWidth);
