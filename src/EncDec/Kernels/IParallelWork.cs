namespace EncDec.Kernels;

/// <summary>
/// A unit of parallel work over the index range [0, count). Implementations are reusable objects
/// (not lambdas) so that dispatching work allocates nothing.
/// </summary>
public interface IParallelWork
{
    /// <summary>Runs the indices [begin, end) on the calling thread.</summary>
    void Execute(int begin, int end);
}
