using System.Diagnostics;
using EncDec.Kernels;

namespace EncDec.Cli.Bench;

/// <summary>
/// Times <see cref="Gemm"/> against OpenBLAS on the same inputs in the same process. Both are warmed
/// up, then timed alternately in <c>Repeat</c> rounds of at least <c>MinTime</c> seconds each, and
/// the best round of each counts: alternating spreads background noise over both.
/// </summary>
public static class GemmBenchmark
{
    /// <summary>Pause after OpenBLAS runs, so its spinning worker threads go idle before EncDec is timed.</summary>
    private static readonly TimeSpan OpenBlasCoolDown = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs the measurements, printing each size as soon as it is done.</summary>
    public static IReadOnlyList<GemmBenchResult> Run(GemmBenchSettings settings, TextWriter output, TextWriter error)
    {
        var blas = OpenBlas.TryLoad();
        if (blas is null) error.WriteLine("encdec: OpenBLAS not found (libopenblas.so.0, libopenblas.so, libcblas.so.3); measuring EncDec only");
        int previousThreads = Parallelism.ThreadCount, previousWidth = Gemm.PreferredVectorWidth;
        try
        {
            Parallelism.ThreadCount = settings.Threads;
            if (settings.VectorWidth is { } width) Gemm.PreferredVectorWidth = width;
            blas?.SetThreads(settings.Threads);
            if (!settings.Json)
            {
                output.WriteLine($"GEMM C = A * B (row-major, float32), SIMD {SimdPath.Current}, vector width {Gemm.PreferredVectorWidth}, " +
                    $"best of {settings.Repeat} x {settings.MinTime:0.###} s{(blas is null ? "" : $", against {blas.Name}")}");
                output.WriteLine(GemmBenchResult.TableHeader(blas is not null));
            }
            var results = new List<GemmBenchResult>();
            foreach (var shape in settings.Sizes)
            {
                var result = Measure(shape, settings, blas);
                results.Add(result);
                output.WriteLine(settings.Json ? result.ToJson() : result.ToTableRow());
                output.Flush();
            }
            return results;
        }
        finally
        {
            Parallelism.ThreadCount = previousThreads;
            Gemm.PreferredVectorWidth = previousWidth;
        }
    }

    private static GemmBenchResult Measure(GemmShape shape, GemmBenchSettings settings, OpenBlas? blas)
    {
        var (m, n, k) = (shape.M, shape.N, shape.K);
        var random = new Random(42);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextSingle() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = random.NextSingle() - 0.5f;
        Action ours = () => Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        Action? theirs = blas is null ? null : () => blas.Sgemm(m, n, k, 1f, a, k, b, n, 0f, c, n);

        double warmUp = Math.Min(0.2, settings.MinTime);
        Rate(ours, warmUp);
        if (theirs is not null)
        {
            Rate(theirs, warmUp);
            Thread.Sleep(OpenBlasCoolDown);
        }
        double best = 0, bestBlas = 0;
        for (int round = 0; round < settings.Repeat; round++)
        {
            best = Math.Max(best, Rate(ours, settings.MinTime) * shape.Flops / 1e9);
            if (theirs is null) continue;
            bestBlas = Math.Max(bestBlas, Rate(theirs, settings.MinTime) * shape.Flops / 1e9);
            Thread.Sleep(OpenBlasCoolDown);
        }
        return new GemmBenchResult(shape, settings.Threads, best, theirs is null ? null : bestBlas);
    }

    /// <summary>Calls per second of <paramref name="call"/>, run for at least <paramref name="seconds"/>.</summary>
    private static double Rate(Action call, double seconds)
    {
        long calls = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            call();
            calls++;
        }
        while (clock.Elapsed.TotalSeconds < seconds);
        return calls / clock.Elapsed.TotalSeconds;
    }
}
