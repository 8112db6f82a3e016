using System.Runtime.CompilerServices;

namespace EncDec.Kernels;

/// <summary>
/// The blocked GEMM loops around one micro-kernel (the BLIS five-loop structure), run by one thread on
/// a rectangle of one matrix of the batch:
/// <code>
/// for jc in columns step NC            C(:, jc:jc+nc)
///   for pc in 0..k step KC             pack B(pc:pc+kc, jc:jc+nc) -> panels of NR columns
///     for ic in rows step MC           pack A(ic:ic+mc, pc:pc+kc) -> panels of MR rows
///       for jr in 0..nc step NR        one B panel, reused by every A panel (L1/L2)
///         for ir in 0..mc step MR      micro-kernel: C tile (MR x NR) += A panel * B panel
/// </code>
/// The first depth block applies the caller's beta, later ones accumulate (beta = 1). When the
/// rectangle is at most MR rows tall, every B panel would be used once, so packing B cannot pay
/// for itself: if B's rows are contiguous the kernel reads B in place (only a ragged last panel is
/// packed, to zero-pad it).
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Computes rows [r0, r1) x columns [c0, c1) of C for matrix <paramref name="batchIndex"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(in GemmProblem problem, int batchIndex, int r0, int r1, int c0, int c1,
        GemmBlocking blocking, GemmBuffers buffers, bool simd)
        where TKernel : IGemmMicroKernel
    {
        if (r0 >= r1 || c0 >= c1) return;
        MatrixStrides sa = problem.AStrides, sb = problem.BStrides;
        float* a = problem.A + batchIndex * sa.Batch;
        float* b = problem.B + batchIndex * sb.Batch;
        float* c = problem.C + batchIndex * problem.CStrides.Batch;
        nint ldc = problem.CStrides.Row;
        int k = problem.K;
        bool packB = !(sb.Col == 1 && r1 - r0 <= TKernel.Mr);
        int kcMax = GemmBlocking.Balanced(k, blocking.Kc, 1);
        int mcMax = GemmBlocking.Balanced(r1 - r0, blocking.Mc, TKernel.Mr);
        int ncMax = GemmBlocking.Balanced(c1 - c0, blocking.Nc, TKernel.Nr);
        float* packedA = buffers.A(mcMax * kcMax);
        float* packedB = buffers.B((packB ? ncMax : TKernel.Nr) * kcMax);
        var panel = new BPanels(packB, simd, packedB, buffers.Tile(TKernel.Mr * TKernel.Nr));
        for (int jc = c0; jc < c1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, c1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                panel.Source = b + (nint)pc * sb.Row + (nint)jc * sb.Col;
                panel.SourceRow = sb.Row;
                if (packB) GemmPacking.Pack(panel.Source, sb.Col, sb.Row, nc, kc, TKernel.Nr, packedB, simd);
                float beta = pc == 0 ? problem.Beta : 1f;
                for (int ic = r0; ic < r1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, r1 - ic);
                    GemmPacking.Pack(a + (nint)ic * sa.Row + (nint)pc * sa.Col, sa.Row, sa.Col, mc, kc, TKernel.Mr, packedA, simd);
                    MacroKernel<TKernel>(mc, nc, kc, packedA, panel, c + ic * ldc + jc, ldc, problem.Alpha, beta);
                }
            }
        }
    }

    /// <summary>
    /// C (mc x nc, rows ldc apart) = alpha * packedA * B + beta * C, tile by tile. A last row tile of at most
    /// <see cref="IGemmMicroKernel.ShortMr"/> rows goes through the kernel's short tile; other edge tiles are
    /// computed whole into a scratch tile (the panels are zero-padded) and only their valid part is merged into C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MacroKernel<TKernel>(int mc, int nc, int kc, float* packedA, in BPanels panels,
        float* c, nint ldc, float alpha, float beta)
        where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* bPanel = panels.Panel(jr, cols, kc, nr, out nint ldb);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                float* aPanel = packedA + (nint)ir * kc;
                float* cTile = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    TKernel.Run(kc, aPanel, bPanel, ldb, cTile, ldc, alpha, beta);
                }
                else if (rows <= TKernel.ShortMr && cols == nr)
                {
                    TKernel.RunShort(rows, kc, aPanel, bPanel, ldb, cTile, ldc, alpha, beta);
                }
                else
                {
                    TKernel.Run(kc, aPanel, bPanel, ldb, panels.Tile, nr, 1f, 0f);
                    MergeEdge(panels.Tile, nr, cTile, ldc, rows, cols, alpha, beta);
                }
            }
        }
    }

    /// <summary>C(i, j) = alpha * tile(i, j) + beta * C(i, j) for the valid rows x cols of an edge tile.</summary>
    private static void MergeEdge(float* tile, int tileStride, float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* from = tile + i * tileStride;
            float* to = c + i * ldc;
            if (beta == 0f)
            {
                for (int j = 0; j < cols; j++) to[j] = alpha * from[j];
            }
            else
            {
                for (int j = 0; j < cols; j++) to[j] = alpha * from[j] + beta * to[j];
            }
        }
    }

    /// <summary>Where the kernel finds the B panels of one (kc x nc) block: packed, or B itself.</summary>
    internal struct BPanels(bool packed, bool simd, float* packedB, float* tile)
    {
        /// <summary>Element (pc, jc) of B: the block's origin.</summary>
        public float* Source;
        /// <summary>B's row stride (used when reading B in place; its columns are then contiguous).</summary>
        public nint SourceRow;
        /// <summary>Scratch tile for edge tiles, (Mr, Nr).</summary>
        public readonly float* Tile = tile;

        /// <summary>Panel of columns [jr, jr + cols) and its row stride.</summary>
        public readonly float* Panel(int jr, int cols, int kc, int nr, out nint ldb)
        {
            if (packed)
            {
                ldb = nr;
                return packedB + (nint)jr * kc;
            }
            if (cols == nr)
            {
                ldb = SourceRow;
                return Source + jr;
            }
            GemmPacking.Pack(Source + jr, 1, SourceRow, cols, kc, nr, packedB, simd);
            ldb = nr;
            return packedB;
        }
    }
}
