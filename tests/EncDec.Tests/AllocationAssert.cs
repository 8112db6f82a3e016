namespace EncDec.Tests;

/// <summary>Checks that a steady step allocates nothing on the calling thread once warmed up.</summary>
public static class AllocationAssert
{
    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmup"/> times, then measures up to
    /// <paramref name="windows"/> windows of <paramref name="steps"/> steps and passes as soon as one
    /// window allocated zero bytes. A real per-step allocation shows in every window; one window can
    /// read a few bytes when a collection caused by tests running in parallel lands inside it.
    /// </summary>
    public static void ZeroAfterWarmUp(Action step, int warmup = 3, int steps = 5, int windows = 3)
    {
        for (int i = 0; i < warmup; i++) step();
        long fewest = long.MaxValue;
        for (int window = 0; window < windows && fewest != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < steps; i++) step();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(fewest == 0, $"a steady step allocated {fewest} bytes over {steps} steps in the cleanest of {windows} windows");
    }
}
