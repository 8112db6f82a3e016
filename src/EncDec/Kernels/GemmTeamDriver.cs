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
///     for ic in member t's rows step MC: pack A, macro-kernel            (rows split between members)
/// </code>
/// Against every thread packing all of B (<see cref="GemmDriver"/> on a row split) this halves the
/// packing and the memory traffic for B with two threads, and both threads stream the same block
/// from the shared L3. Blocks alternate between two buffers, so one barrier per block suffices: a
/// member can only overwrite a buffer after passing the next block's barrier, which every member
/// reaches only once it has finished the block that read that buffer.
/// </summary>
internal static unsafe class GemmTeamDriver
{
    /// <summary>Floats of the shared B memory for <paramref name="problem"/>: two KC x NC blocks.</summary>
    public static int SharedFloats(in GemmProblem problem, GemmBlocking blocking, int nr) =>
        2 * GemmBlocking.Balanced(problem.K, blocking.Kc, 1) * GemmBlocking.Balanced(problem.N, blocking.Nc, nr);

    /// <summary>
    /// Member <c>member</c> of <c>members</c> threads computes its rows of C for matrix 0 (the problem's
    /// batch is 1); every member calls this concurrently with the same <c>sharedB</c> (memory of
    /// <see cref="SharedFloats"/> floats) and a <c>barrier</c> reset for <c>members</c> threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(in GemmProblem problem, int member, int members, float* sharedB, SpinBarrier barrier,
        GemmBlocking blocking, GemmBuffers buffers, bool simd)
        where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, k = problem.K, n = problem.N;
        MatrixStrides sa = problem.AStrides, sb = problem.BStrides;
        nint ldc = problem.CStrides.Row;
        int rowUnits = (problem.M + mr - 1) / mr;
        int r0 = Math.Min(problem.M, rowUnits * member / members * mr);
        int r1 = Math.Min(problem.M, rowUnits * (member + 1) / members * mr);
        int kcMax = GemmBlocking.Balanced(k, blocking.Kc, 1);
        int ncMax = GemmBlocking.Balanced(n, blocking.Nc, nr);
        int mcMax = GemmBlocking.Balanced(Math.Max(1, r1 - r0), blocking.Mc, mr);
        float* packedA = buffers.A(mcMax * kcMax);
        int block = 0;
        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax, block++)
            {
                int kc = Math.Min(kcMax, k - pc);
                float* packedB = sharedB + (nint)(block & 1) * kcMax * ncMax;
                PackShare(problem.B + (nint)pc * sb.Row + (nint)jc * sb.Col, sb, nc, kc, nr, member, members, packedB, simd);
                barrier.SignalAndWait();
                var panels = new GemmDriver.BPanels(true, simd, packedB, buffers.Tile(mr * nr));
                float beta = pc == 0 ? problem.Beta : 1f;
                for (int ic = r0; ic < r1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, r1 - ic);
                    GemmPacking.Pack(problem.A + (nint)ic * sa.Row + (nint)pc * sa.Col, sa.Row, sa.Col, mc, kc, mr, packedA, simd);
                    GemmDriver.MacroKernel<TKernel>(mc, nc, kc, packedA, panels, problem.C + ic * ldc + jc, ldc, problem.Alpha, beta);
                }
            }
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
