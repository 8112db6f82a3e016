namespace EncDec.Kernels;

/// <summary>
/// Splits one GEMM call into per-thread tasks and runs them through <see cref="ParallelRunner"/>.
/// Each task owns a disjoint part of C and packs its own operands into its thread's
/// <see cref="GemmBuffers"/>, so threads never synchronise inside a call:
/// <list type="bullet">
/// <item>whole matrices per task when the batch divides evenly between the threads, or is large
/// enough (4 per thread) for the remainder not to matter;</item>
/// <item>one matrix with m &gt;= n and more tile rows than tasks: a team (see
/// <see cref="GemmTeamDriver"/>) that claims rows as it goes, packs each B block together into shared
/// memory and meets at a <see cref="SpinBarrier"/> once per block;</item>
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
    private unsafe float* _sharedB;
    private readonly SpinBarrier _barrier = new();
    private readonly int[] _claims = new int[GemmTeamDriver.ClaimCounterInts];

    private enum Split { Batch, Rows, Columns, Team }

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
            work.ClearShared();
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
        if (_split == Split.Rows && problem.Batch == 1 && _tasks > 1 && problem.M >= problem.N && rowUnits > _tasks)
            PrepareTeam(nr);
    }

    /// <summary>The calling thread's B buffer becomes the team's shared B memory.</summary>
    private unsafe void PrepareTeam(int nr)
    {
        _split = Split.Team;
        _sharedB = GemmBuffers.Current.B(GemmTeamDriver.SharedFloats(_problem, _blocking, nr));
        _barrier.Reset(_tasks);
        Array.Clear(_claims);
    }

    private unsafe void ClearShared() => _sharedB = null;

    /// <inheritdoc />
    public void Execute(int begin, int end)
    {
        var buffers = GemmBuffers.Current;
        if (_split == Split.Team)
        {
            // ParallelRunner runs either one task per thread, all at once (_tasks = its thread count),
            // or every task on the calling thread (nested or contended calls): then that thread is a
            // team of one and never waits.
            bool alone = end - begin == _tasks;
            System.Diagnostics.Debug.Assert(alone || end - begin == 1, "a team member runs one task");
            if (alone) _barrier.Reset(1);
            RunTeamMember(alone ? 0 : begin, alone ? 1 : _tasks, buffers);
            return;
        }
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

    /// <summary>Runs one team member; if it fails, the others stop waiting for it.</summary>
    private void RunTeamMember(int member, int members, GemmBuffers buffers)
    {
        try
        {
            DispatchTeam(member, members, buffers);
        }
        catch
        {
            _barrier.Abandon();
            throw;
        }
    }

    private unsafe void DispatchTeam(int member, int members, GemmBuffers buffers)
    {
        switch (_kernel)
        {
            case GemmKernelKind.Vector512:
                GemmTeamDriver.Run<GemmMicroKernel512>(_problem, member, members, _sharedB, _barrier, _claims, _blocking, buffers, _simd);
                break;
            case GemmKernelKind.Vector256:
                GemmTeamDriver.Run<GemmMicroKernel256>(_problem, member, members, _sharedB, _barrier, _claims, _blocking, buffers, _simd);
                break;
            case GemmKernelKind.Vector256Narrow:
                GemmTeamDriver.Run<GemmMicroKernel256Narrow>(_problem, member, members, _sharedB, _barrier, _claims, _blocking, buffers, _simd);
                break;
            default:
                GemmTeamDriver.Run<GemmMicroKernelScalar>(_problem, member, members, _sharedB, _barrier, _claims, _blocking, buffers, _simd);
                break;
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
