namespace EncDec.Kernels;

/// <summary>
/// One <see cref="PackedGemm"/> call split into per-thread rectangles of C (whole micro-kernel tiles), run
/// through <see cref="ParallelRunner"/>. Each task packs its own rows of A into its thread's
/// <see cref="GemmBuffers"/> and streams the shared packed B, so tasks never synchronise. One instance per
/// calling thread, reused, so a call allocates nothing.
/// </summary>
internal sealed unsafe class PackedGemmWork : IParallelWork
{
    [ThreadStatic] private static PackedGemmWork? t_current;

    private int _m, _lda, _ldc, _tasks, _units, _unit;
    private float* _a, _c, _bias;
    private PackedMatrix? _b;
    private float _beta;
    private bool _relu, _splitRows;

    public static PackedGemmWork Current => t_current ??= new PackedGemmWork();

    public void Prepare(int m, float* a, int lda, PackedMatrix b, float* c, int ldc, float beta, float* bias, bool relu)
    {
        (_m, _lda, _b, _ldc, _beta, _relu) = (m, lda, b, ldc, beta, relu);
        _a = a;
        _c = c;
        _bias = bias;
    }

    public void Run(int threads)
    {
        var (mr, nr) = GemmKernels.Shape(_b!.Kernel);
        int rowUnits = (_m + mr - 1) / mr, colUnits = (_b.N + nr - 1) / nr;
        // Up to 4 tiles of rows per thread, A is small and B large: split B's columns so each panel is read
        // once; taller problems reuse each B panel over many A panels, so split rows and share B.
        _splitRows = rowUnits > 4 * threads;
        (_units, _unit) = _splitRows ? (rowUnits, mr) : (colUnits, nr);
        _tasks = Math.Max(1, Math.Min(threads, _units));
        try
        {
            ParallelRunner.For(_tasks, this, _tasks);
        }
        finally
        {
            _a = _c = _bias = null;   // drop the pinned pointers
            _b = null;
        }
    }

    /// <inheritdoc />
    public void Execute(int begin, int end)
    {
        for (int task = begin; task < end; task++)
        {
            int first = (int)((long)_units * task / _tasks) * _unit, last = (int)((long)_units * (task + 1) / _tasks) * _unit;
            if (_splitRows) Rectangle(first, Math.Min(last, _m), 0, _b!.N);
            else Rectangle(0, _m, first, Math.Min(last, _b!.N));
        }
    }

    private void Rectangle(int r0, int r1, int c0, int c1)
    {
        if (r0 >= r1 || c0 >= c1) return;
        switch (_b!.Kernel)
        {
            case GemmKernelKind.Vector512: Run<GemmMicroKernel512>(r0, r1, c0, c1); break;
            case GemmKernelKind.Vector256: Run<GemmMicroKernel256>(r0, r1, c0, c1); break;
            case GemmKernelKind.Vector256Narrow: Run<GemmMicroKernel256Narrow>(r0, r1, c0, c1); break;
            default: Run<GemmMicroKernelScalar>(r0, r1, c0, c1); break;
        }
        var bias = _bias is null ? ReadOnlySpan<float>.Empty : new ReadOnlySpan<float>(_bias, _b.N);
        PackedGemm.Epilogue(new Span<float>(_c, (r1 - 1) * _ldc + _b.N), _ldc, r0, r1, c0, c1, bias, _relu);
    }

    /// <summary><see cref="GemmDriver.Run{TKernel}"/> without packing B: blocks of NC columns, depth blocks of KC,
    /// packed A blocks of MC rows.</summary>
    private void Run<TKernel>(int r0, int r1, int c0, int c1) where TKernel : IGemmMicroKernel
    {
        var b = _b!;
        var blocking = GemmBlocking.For(b.Kernel);
        var buffers = GemmBuffers.Current;
        bool simd = b.Kernel != GemmKernelKind.Scalar;
        int mcMax = GemmBlocking.Balanced(r1 - r0, blocking.Mc, TKernel.Mr);
        float* packedA = buffers.A(mcMax * b.Kc);
        float* tile = buffers.Tile(TKernel.Mr * TKernel.Nr);
        for (int jc = c0; jc < c1; jc += blocking.Nc)
        {
            int nc = Math.Min(blocking.Nc, c1 - jc);
            for (int pc = 0; pc < b.K; pc += b.Kc)
            {
                int kc = Math.Min(b.Kc, b.K - pc);
                var panels = new GemmDriver.BPanels(true, simd, b.Block(pc, jc), tile);
                float beta = pc == 0 ? _beta : 1f;
                for (int ic = r0; ic < r1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, r1 - ic);
                    GemmPacking.Pack(_a + (nint)ic * _lda + pc, _lda, 1, mc, kc, TKernel.Mr, packedA, simd);
                    GemmDriver.MacroKernel<TKernel>(mc, nc, kc, packedA, panels, _c + (nint)ic * _ldc + jc, _ldc, 1f, beta);
                }
            }
        }
    }
}
