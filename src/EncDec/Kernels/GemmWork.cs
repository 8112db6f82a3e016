namespace EncDec.Kernels;

/// <summary>
/// Splits one GEMM call into per-thread tasks and runs them through <see cref="ParallelRunner"/>.
/// Each task owns a disjoint part of C and packs its own operands into its thread's
/// <see cref="GemmBuffers"/>, so threads never synchronise inside a call:
/// <list type="bullet">
/// <item>whole matrices per task when the batch divides evenly between the threads, or is large
/// enough (4 per thread) for the remainder not to matter;</item>
/// <item>otherwise rows of C (each task packs its own A rows; all of B is packed by every task) when
/// m &gt;= n, else columns (each task packs its own B columns and all of A), so that the operand packed
/// twice is the smaller one. Bounds are rounded to whole micro-kernel tiles.</item>
/// </list>
/// One instance per calling thread, reused, so dispatch allocates nothing.
/// </summary>
internal sealed class GemmWork : IParallelWork
{
    [ThreadStatic] private static GemmWork? t_instance;

    private GemmProblem _problem;
    private GemmKernelKind _kernel;
    private GemmBlocking _blocking;
    private bool _simd;
    private Split _split;
    private int _tasks, _units, _unit;

    private enum Split { Batch, Rows, Columns }

    /// <summary>Runs <paramref name="problem"/> with <paramref name="kernel"/> on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in GemmProblem problem, GemmKernelKind kernel, int threads)
    {
        var work = t_instance ??= new GemmWork();
        work.Prepare(problem, kernel, threads);
        try
        {
            ParallelRunner.For(work._tasks, work, work._tasks);
        }
        finally
        {
            work._problem = default;   // drop the pinned pointers
        }
    }

    private void Prepare(in GemmProblem problem, GemmKernelKind kernel, int threads)
    {
        _problem = problem;
        _kernel = kernel;
        _blocking = GemmBlocking.For(kernel);
        _simd = kernel != GemmKernelKind.Scalar;
        var (mr, nr) = GemmKernels.Shape(kernel);
        int rowUnits = (problem.M + mr - 1) / mr, colUnits = (problem.N + nr - 1) / nr;
        bool evenBatch = problem.Batch % threads == 0 || problem.Batch >= 4 * threads;
        if (problem.Batch >= threads && (evenBatch || Math.Max(rowUnits, colUnits) < threads))
        {
            (_split, _units, _unit) = (Split.Batch, problem.Batch, 1);
        }
        else if (problem.M >= problem.N ? rowUnits >= threads : colUnits < threads && rowUnits > colUnits)
        {
            (_split, _units, _unit) = (Split.Rows, rowUnits, mr);
        }
        else if (colUnits >= threads || colUnits >= rowUnits)
        {
            (_split, _units, _unit) = (Split.Columns, colUnits, nr);
        }
        else
        {
            (_split, _units, _unit) = (Split.Rows, rowUnits, mr);
        }
        _tasks = Math.Max(1, Math.Min(threads, _units));
    }

    /// <inheritdoc />
    public void Execute(int begin, int end)
    {
        var buffers = GemmBuffers.Current;
        for (int task = begin; task < end; task++)
        {
            int first = (int)((long)_units * task / _tasks), last = (int)((long)_units * (task + 1) / _tasks);
            switch (_split)
            {
                case Split.Batch:
                    for (int b = first; b < last; b++) Dispatch(b, 0, _problem.M, 0, _problem.N, buffers);
                    break;
                case Split.Rows:
                    for (int b = 0; b < _problem.Batch; b++)
                        Dispatch(b, first * _unit, Math.Min(last * _unit, _problem.M), 0, _problem.N, buffers);
                    break;
                default:
                    for (int b = 0; b < _problem.Batch; b++)
                        Dispatch(b, 0, _problem.M, first * _unit, Math.Min(last * _unit, _problem.N), buffers);
                    break;
            }
        }
    }

    private void Dispatch(int b, int r0, int r1, int c0, int c1, GemmBuffers buffers)
    {
        switch (_kernel)
        {
            case GemmKernelKind.Vector512:
                GemmDriver.Run<GemmMicroKernel512>(_problem, b, r0, r1, c0, c1, _blocking, buffers, _simd);
                break;
            case GemmKernelKind.Vector256:
                GemmDriver.Run<GemmMicroKernel256>(_problem, b, r0, r1, c0, c1, _blocking, buffers, _simd);
                break;
            case GemmKernelKind.Vector256Narrow:
                GemmDriver.Run<GemmMicroKernel256Narrow>(_problem, b, r0, r1, c0, c1, _blocking, buffers, _simd);
                break;
            default:
                GemmDriver.Run<GemmMicroKernelScalar>(_problem, b, r0, r1, c0, c1, _blocking, buffers, _simd);
                break;
        }
    }
}
