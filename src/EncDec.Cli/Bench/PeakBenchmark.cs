using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using EncDec.Kernels;

namespace EncDec.Cli.Bench;

/// <summary>
/// <c>encdec bench peak</c>: the machine's float32 multiply-add ceiling, measured rather than taken from a data sheet
/// (a VM's clock, its cores and whether two vCPUs share one core are rarely known). Every thread of the engine's pool
/// runs a loop of twelve independent fused multiply-add chains on registers only, at the widest vector the kernels use
/// (<see cref="SimdPath.Current"/>); twelve chains cover the latency of two FMA pipes, and nothing touches memory, so
/// no kernel can go faster. GFLOP/s counts two operations per multiply-add and lane, as GEMM benchmarks and
/// <see cref="WorkloadArithmetic"/> do. The best run is quoted: a ceiling is what the least disturbed run reaches.
/// </summary>
public static class PeakBenchmark
{
    private const int Chains = 12;

    /// <summary>What one run measured.</summary>
    /// <param name="Threads">Threads that ran the loop at once.</param>
    /// <param name="Simd">The vector width of the loop.</param>
    /// <param name="Operations">Floating-point operations of one run, all threads together.</param>
    /// <param name="Seconds">Wall-clock seconds of each timed run.</param>
    public sealed record Result(int Threads, SimdLevel Simd, double Operations, TimingSummary Seconds)
    {
        /// <summary>GFLOP/s of the fastest run: the ceiling.</summary>
        public double PeakGflops => Operations / Seconds.Best / 1e9;

        /// <summary>GFLOP/s at the median run time.</summary>
        public double MedianGflops => Operations / Seconds.Median / 1e9;
    }

    /// <summary>Iterations of the loop per thread and run: about 0.1 s on one Zen 5 core at any vector width.</summary>
    public const long DefaultIterations = 50_000_000;

    /// <summary>The <c>bench peak</c> command.</summary>
    public static Command CreateCommand()
    {
        var json = BenchOptions.Json();
        var threads = BenchOptions.Threads();
        var repeat = BenchOptions.PositiveInt("--repeat", "Timed runs after one untimed run; the best is quoted", 7);
        var command = new Command("peak",
            "Measure the float32 multiply-add ceiling of this machine (register-only FMA loops on every thread), the " +
            "figure the other benchmarks' GFLOP/s are a share of\nExample: encdec bench peak --threads 2 --json")
        {
            json, threads, repeat,
        };
        command.SetAction(parse =>
        {
            var result = Measure(parse.GetValue(threads), parse.GetValue(repeat));
            Report(result, parse.GetValue(json), parse.InvocationConfiguration.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs the loop <paramref name="repeat"/> times (after one untimed run) on <paramref name="threads"/>
    /// threads at once, <paramref name="iterations"/> iterations per thread and run.</summary>
    public static Result Measure(int threads, int repeat, long iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        return BenchOptions.WithThreads(threads, () =>
        {
            var simd = SimdPath.Current;
            var work = new FmaLoops(simd, iterations);
            var seconds = new double[repeat];
            for (int i = -1; i < repeat; i++)
            {
                long start = Stopwatch.GetTimestamp();
                ParallelRunner.For(threads, work, threads);
                if (i >= 0) seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            double operations = (double)threads * iterations * Chains * LanesOf(simd) * 2;
            return new Result(threads, simd, operations, TimingSummary.From(seconds));
        });
    }

    /// <summary>Float lanes per vector at <paramref name="simd"/>.</summary>
    public static int LanesOf(SimdLevel simd) => simd switch
    {
        SimdLevel.Avx512 => Vector512<float>.Count,
        SimdLevel.Avx2 => Vector256<float>.Count,
        _ => 1,
    };

    /// <summary>Prints a line, or one JSON object with <paramref name="json"/>.</summary>
    public static void Report(Result result, bool json, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        string simd = result.Simd.ToString().ToLowerInvariant();
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "peak", ["threads"] = result.Threads, ["simd"] = simd, ["repeat"] = result.Seconds.Count,
                ["peak_gflops"] = result.PeakGflops, ["median_gflops"] = result.MedianGflops,
                ["peak_gflops_per_thread"] = result.PeakGflops / result.Threads,
            }));
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"float32 FMA peak, {result.Threads} thread{(result.Threads == 1 ? "" : "s")}, {simd}: best {result.PeakGflops:F1} GFLOP/s " +
            $"({result.PeakGflops / result.Threads:F1} per thread), median {result.MedianGflops:F1} of {result.Seconds.Count} runs"));
    }

    /// <summary>One loop per thread; the sum of its chains is kept so the JIT cannot drop the work.</summary>
    private sealed class FmaLoops(SimdLevel simd, long iterations) : IParallelWork
    {
        private float _checksum;

        public void Execute(int begin, int end)
        {
            for (int i = begin; i < end; i++)
            {
                float sum = simd switch
                {
                    SimdLevel.Avx512 => Loop512(iterations),
                    SimdLevel.Avx2 => Loop256(iterations),
                    _ => LoopScalar(iterations),
                };
                Volatile.Write(ref _checksum, sum);
            }
        }
    }

    // Each chain converges to 1 / (1 - 0.999) = 1000, so no value grows, underflows or turns denormal.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iterations)
    {
        var x = Vector512.Create(1f);
        var m = Vector512.Create(0.999f);
        Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, x); a1 = Vector512.FusedMultiplyAdd(a1, m, x);
            a2 = Vector512.FusedMultiplyAdd(a2, m, x); a3 = Vector512.FusedMultiplyAdd(a3, m, x);
            a4 = Vector512.FusedMultiplyAdd(a4, m, x); a5 = Vector512.FusedMultiplyAdd(a5, m, x);
            a6 = Vector512.FusedMultiplyAdd(a6, m, x); a7 = Vector512.FusedMultiplyAdd(a7, m, x);
            a8 = Vector512.FusedMultiplyAdd(a8, m, x); a9 = Vector512.FusedMultiplyAdd(a9, m, x);
            a10 = Vector512.FusedMultiplyAdd(a10, m, x); a11 = Vector512.FusedMultiplyAdd(a11, m, x);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iterations)
    {
        var x = Vector256.Create(1f);
        var m = Vector256.Create(0.999f);
        Vector256<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, x); a1 = Vector256.FusedMultiplyAdd(a1, m, x);
            a2 = Vector256.FusedMultiplyAdd(a2, m, x); a3 = Vector256.FusedMultiplyAdd(a3, m, x);
            a4 = Vector256.FusedMultiplyAdd(a4, m, x); a5 = Vector256.FusedMultiplyAdd(a5, m, x);
            a6 = Vector256.FusedMultiplyAdd(a6, m, x); a7 = Vector256.FusedMultiplyAdd(a7, m, x);
            a8 = Vector256.FusedMultiplyAdd(a8, m, x); a9 = Vector256.FusedMultiplyAdd(a9, m, x);
            a10 = Vector256.FusedMultiplyAdd(a10, m, x); a11 = Vector256.FusedMultiplyAdd(a11, m, x);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float LoopScalar(long iterations)
    {
        float a0 = 1, a1 = 1, a2 = 1, a3 = 1, a4 = 1, a5 = 1, a6 = 1, a7 = 1, a8 = 1, a9 = 1, a10 = 1, a11 = 1;
        for (long i = 0; i < iterations; i++)
        {
            a0 = MathF.FusedMultiplyAdd(a0, 0.999f, 1f); a1 = MathF.FusedMultiplyAdd(a1, 0.999f, 1f);
            a2 = MathF.FusedMultiplyAdd(a2, 0.999f, 1f); a3 = MathF.FusedMultiplyAdd(a3, 0.999f, 1f);
            a4 = MathF.FusedMultiplyAdd(a4, 0.999f, 1f); a5 = MathF.FusedMultiplyAdd(a5, 0.999f, 1f);
            a6 = MathF.FusedMultiplyAdd(a6, 0.999f, 1f); a7 = MathF.FusedMultiplyAdd(a7, 0.999f, 1f);
            a8 = MathF.FusedMultiplyAdd(a8, 0.999f, 1f); a9 = MathF.FusedMultiplyAdd(a9, 0.999f, 1f);
            a10 = MathF.FusedMultiplyAdd(a10, 0.999f, 1f); a11 = MathF.FusedMultiplyAdd(a11, 0.999f, 1f);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }
}
