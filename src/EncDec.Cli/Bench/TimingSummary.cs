namespace EncDec.Cli.Bench;

/// <summary>The best and the median of repeated timings of the same work, in seconds.</summary>
/// <param name="Best">The shortest time: the least disturbed by other processes.</param>
/// <param name="Median">The middle time (mean of the two middle ones for an even count): what throughput is quoted from.</param>
/// <param name="Count">Timings summarised.</param>
public sealed record TimingSummary(double Best, double Median, int Count)
{
    /// <summary>Summarises <paramref name="seconds"/> (at least one timing; the span is sorted in place).</summary>
    /// <exception cref="ArgumentException">No timings.</exception>
    public static TimingSummary From(Span<double> seconds)
    {
        if (seconds.IsEmpty) throw new ArgumentException("TimingSummary: no timings to summarise", nameof(seconds));
        seconds.Sort();
        int middle = seconds.Length / 2;
        double median = seconds.Length % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
        return new TimingSummary(seconds[0], median, seconds.Length);
    }
}
