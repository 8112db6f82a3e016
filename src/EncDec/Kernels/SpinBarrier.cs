namespace EncDec.Kernels;

/// <summary>
/// A reusable, allocation-free barrier for a fixed team of threads that all run at once (the
/// <see cref="ParallelRunner"/> chunks of one call). Sense-reversing: the last thread to arrive resets
/// the count and advances the phase, which releases the others. Waiters spin briefly, then yield, so
/// a team that shares its cores with other work still makes progress. Unlike
/// <see cref="System.Threading.Barrier"/> it has no post-phase actions or timeouts, and costs one
/// interlocked decrement per arrival. A member that fails calls <see cref="Abandon"/>, so that the
/// others throw instead of waiting for it forever.
/// </summary>
internal sealed class SpinBarrier
{
    private int _participants;
    private int _remaining;
    private int _phase;
    private volatile bool _abandoned;

    /// <summary>Prepares the barrier for <paramref name="participants"/> threads. Call while no thread waits on it.</summary>
    public void Reset(int participants)
    {
        _participants = participants;
        _remaining = participants;
        _abandoned = false;
    }

    /// <summary>Releases every waiter, now and later, with an exception: a participant will not arrive.</summary>
    public void Abandon() => _abandoned = true;

    /// <summary>Blocks until all participants have called this method in the current phase.</summary>
    /// <exception cref="InvalidOperationException">The barrier was abandoned by a failing participant.</exception>
    public void SignalAndWait()
    {
        int phase = Volatile.Read(ref _phase);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _remaining = _participants;
            Volatile.Write(ref _phase, phase + 1);
            return;
        }
        var spin = new SpinWait();
        while (Volatile.Read(ref _phase) == phase)
        {
            if (_abandoned) throw new InvalidOperationException("a GEMM team member failed");
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
