using System.Runtime.CompilerServices;

namespace EncDec.Kernels;

/// <summary>
/// The blocked GEMM loops of <see cref="GemmDriver"/> run by a team of threads on one matrix, sharing
/// each packed B block (the BLIS "ic loop" parallelisation):
/// <code>
/// for jc in columns step NC
///   for pc in 0..k step KC
///     member t packs its share of the B panels into the shared block    (1/T of the packing each)
///     barrier                                                            (the block is complete)
///     until the block's rows run out: claim rows, pack A, macro-kernel   (rows claimed, see below; with few row
///                                                                        panels, rows of one column slab)
/// </code>
/// Against every thread packing all of B (<see cref="GemmDriver"/> on a row split) this halves the
/// packing and the memory traffic for B with two threads, and both threads stream the same block
/// from the shared L3. Blocks alternate between two buffers, so one barrier per block suffices: a
/// member can only overwrite a buffer after passing the next block's barrier, which every member
/// reaches only once it has finished the block that read that buffer.
/// <para>Rows are claimed, not dealt out in equal halves: a virtual machine's cores do not run at one speed (on this
/// project's 2-core VM, <c>encdec bench peak</c> finds one core 5-10% slower than the other at times, and the pair at
/// 385 instead of 475 GFLOP/s at others), and with fixed halves the faster member waits at every barrier for the
/// slower one (in a step of the <c>bench train</c> workload, about 6 ms per member between blocks; 2 ms with
/// claims). Each claim takes a share of the rows left (guided scheduling: 1 / (2 · members) of them, at most one MC
/// block, at least one micro-panel), so the first claims are whole cache blocks and the last ones single panels, and
/// the members finish a block within about a panel of each other whatever their speeds.</para>
/// </summary>
internal static unsafe class GemmTeamDriver
{
    /// <summary>Floats of the shared B memory for <paramref name="problem"/>: two KC x NC blocks.</summary>
    public static int SharedFloats(in GemmProblem problem, GemmBlocking blocking, int nr) =>
        2 * GemmBlocking.Balanced(problem.K, blocking.Kc, 1) * GemmBlocking.Balanced(problem.N, blocking.Nc, nr);

    /// <summary>Ints of the claim counters <see cref="Run{TKernel}"/> takes: two, a cache line apart.</summary>
    public const int ClaimCounterInts = 32;

    /// <summary>
    /// Member <c>member</c> of <c>members</c> threads computes the rows of C it claims for matrix 0 (the problem's
    /// batch is 1); every member calls this concurrently with the same <c>sharedB</c> (memory of
    /// <see cref="SharedFloats"/> floats), a <c>barrier</c> reset for <c>members</c> threads and the same
    /// <c>claims</c> (<see cref="ClaimCounterInts"/> ints, zero at the start).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(in GemmProblem problem, int member, int members, float* sharedB, SpinBarrier barrier,
        int[] claims, GemmBlocking blocking, GemmBuffers buffers, bool simd)
        where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, k = problem.K, n = problem.N;
        MatrixStrides sa = problem.AStrides, sb = problem.BStrides;
        nint ldc = problem.CStrides.Row;
        int rowPanels = (problem.M + mr - 1) / mr;
        int kcMax = GemmBlocking.Balanced(k, blocking.Kc, 1);
        int ncMax = GemmBlocking.Balanced(n, blocking.Nc, nr);
        int mcMax = GemmBlocking.Balanced(problem.M, blocking.Mc, mr);
        float* packedA = buffers.A(mcMax * kcMax);
        int block = 0;
        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            var (slabs, slabPanels) = Slabs(rowPanels, (nc + nr - 1) / nr, members);
            for (int pc = 0; pc < k; pc += kcMax, block++)
            {
                int kc = Math.Min(kcMax, k - pc);
                float* packedB = sharedB + (nint)(block & 1) * kcMax * ncMax;
                PackShare(problem.B + (nint)pc * sb.Row + (nint)jc * sb.Col, sb, nc, kc, nr, member, members, packedB, simd);
                barrier.SignalAndWait();
                // Every member has left the previous block, whose counter the next block reuses: no one reads it now.
                if (member == 0) claims[CounterOf(block + 1)] = 0;
                float beta = pc == 0 ? problem.Beta : 1f;
                // Claims run over (slab, row panel) units, slab by slab; one claim stays within one slab.
                while (Claim(ref claims[CounterOf(block)], rowPanels * slabs, members, mcMax / mr, rowPanels) is var (first, count)
                       && count > 0)
                {
                    int ic = first % rowPanels * mr, mc = Math.Min(count * mr, problem.M - ic);
                    int c0 = first / rowPanels * slabPanels * nr, cols = Math.Min(slabPanels * nr, nc - c0);
                    var panels = new GemmDriver.BPanels(true, simd, packedB + (nint)c0 * kc, buffers.Tile(mr * nr));
                    GemmPacking.Pack(problem.A + (nint)ic * sa.Row + (nint)pc * sa.Col, sa.Row, sa.Col, mc, kc, mr, packedA, simd);
                    GemmDriver.MacroKernel<TKernel>(mc, cols, kc, packedA, panels, problem.C + ic * ldc + jc + c0, ldc, problem.Alpha, beta);
                }
            }
        }
    }

    private static int CounterOf(int block) => (block & 1) * (ClaimCounterInts / 2);

    /// <summary>
    /// How a block's columns are cut for the claims: (slabs, column panels per slab). One slab, unless the rows alone
    /// are too few micro-panels (under four per member) for the members to finish together: a weight gradient of the
    /// <c>bench train</c> workload, 256 x 256 with depth 1,920, is 22 row panels, which 16 members would take 1 or 2
    /// each. Slabs then make about four units per member; each unit packs its rows of A again, a small cost against
    /// its tile products.
    /// </summary>
    internal static (int Slabs, int SlabPanels) Slabs(int rowPanels, int columnPanels, int members)
    {
        int slabs = Math.Clamp((4 * members + rowPanels - 1) / rowPanels, 1, Math.Max(columnPanels, 1));
        int slabPanels = (columnPanels + slabs - 1) / slabs;
        return ((columnPanels + slabPanels - 1) / Math.Max(slabPanels, 1), slabPanels);
    }

    /// <summary>
    /// Claims the next units of a block: (first unit, units), 0 units once all <paramref name="panels"/> are taken.
    /// Takes 1 / (2 · members) of the units left, between 1 and <paramref name="maxPanels"/>, and never past the end
    /// of a <paramref name="segment"/> (the units are rows of C, segment after segment of columns).
    /// </summary>
    internal static (int First, int Count) Claim(ref int next, int panels, int members, int maxPanels, int segment = int.MaxValue)
    {
        while (true)
        {
            int first = Volatile.Read(ref next);
            if (first >= panels) return (panels, 0);
            int left = Math.Min(panels - first, segment - first % segment);
            int count = Math.Min(left, Math.Clamp((panels - first + 2 * members - 1) / (2 * members), 1, maxPanels));
            if (Interlocked.CompareExchange(ref next, first + count, first) == first) return (first, count);
        }
    }

    /// <summary>Packs member <paramref name="member"/>'s contiguous share of the block's NR-column panels.</summary>
    private static void PackShare(float* source, MatrixStrides sb, int nc, int kc, int nr, int member, int members,
        float* packedB, bool simd)
    {
        int panels = (nc + nr - 1) / nr;
        int first = panels * member / members * nr, last = Math.Min(nc, panels * (member + 1) / members * nr);
        if (first >= last) return;
        GemmPacking.Pack(source + first * (nint)sb.Col, sb.Col, sb.Row, last - first, kc, nr, packedB + (nint)first * kc, simd);
    }
}
