using System.Diagnostics;
using System.Globalization;

namespace EncDec.Cli.Bench;

/// <summary>
/// Measures the steady state of <see cref="MlpTrainingStep"/>: time per step and bytes allocated
/// per step after warm-up, counted over the whole process (worker threads included).
/// </summary>
public static class TrainStepBenchmark
{
    /// <summary>Runs <paramref name="warmup"/> untimed steps, then <paramref name="steps"/> measured ones, and reports.</summary>
    public static void Run(int warmup, int steps, int threads, bool json, TextWriter output)
    {
        int previousThreads = Kernels.Parallelism.ThreadCount;
        Kernels.Parallelism.ThreadCount = threads;
        try { Measure(warmup, steps, threads, json, output); }
        finally { Kernels.Parallelism.ThreadCount = previousThreads; }
    }

    private static void Measure(int warmup, int steps, int threads, bool json, TextWriter output)
    {
        var step = new MlpTrainingStep();
        for (int i = 0; i < warmup; i++) step.Step();

        int collections = GC.CollectionCount(0);
        long processBytes = GC.GetTotalAllocatedBytes(precise: true);
        long threadBytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();                // no Stopwatch object: it would count as allocation
        float loss = 0f;
        for (int i = 0; i < steps; i++) loss = step.Step();
        var elapsed = Stopwatch.GetElapsedTime(start);
        threadBytes = GC.GetAllocatedBytesForCurrentThread() - threadBytes;
        processBytes = GC.GetTotalAllocatedBytes(precise: true) - processBytes;
        collections = GC.CollectionCount(0) - collections;

        double milliseconds = elapsed.TotalMilliseconds / steps;
        double bytesPerStep = (double)processBytes / steps;
        var invariant = CultureInfo.InvariantCulture;
        if (json)
        {
            output.WriteLine(string.Create(invariant,
                $"{{\"model\":\"mlp-256-512-10\",\"batch\":64,\"threads\":{threads},\"steps\":{steps},\"ms_per_step\":{milliseconds:F4},\"bytes_per_step\":{bytesPerStep:F1},\"thread_bytes\":{threadBytes},\"gen0_collections\":{collections},\"loss\":{loss:G6}}}"));
            return;
        }
        output.WriteLine("MLP training step (batch 64, 256 -> 512 GELU -> 10, cross-entropy, SGD with momentum)");
        output.WriteLine(string.Create(invariant, $"  threads            {threads}"));
        output.WriteLine(string.Create(invariant, $"  steps measured     {steps} (after {warmup} warm-up steps)"));
        output.WriteLine(string.Create(invariant, $"  time per step      {milliseconds:F3} ms"));
        output.WriteLine(string.Create(invariant, $"  bytes per step     {bytesPerStep:F1} (whole process), {threadBytes} in total on the stepping thread"));
        output.WriteLine(string.Create(invariant, $"  gen0 collections   {collections}"));
        output.WriteLine(string.Create(invariant, $"  final loss         {loss:G6}"));
    }
}
