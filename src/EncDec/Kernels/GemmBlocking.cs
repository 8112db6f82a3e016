namespace EncDec.Kernels;

/// <summary>
/// Cache blocking of the GEMM loops (BLIS naming): a KC x NC block of B is packed once and reused by
/// every MC-row block of A; an MC x KC packed A block stays in L2 while the kernel streams its
/// panels against one KC x NR panel of B, which is reused by every A panel of the block.
/// </summary>
/// <param name="Kc">Depth of a packed block (the micro-kernel's loop count).</param>
/// <param name="Mc">Rows of C per packed A block (a multiple of the kernel's Mr).</param>
/// <param name="Nc">Columns of C per packed B block (a multiple of the kernel's Nr).</param>
internal readonly record struct GemmBlocking(int Kc, int Mc, int Nc)
{
    /// <summary>
    /// Sizes for AMD Zen 5 (48 KiB L1d and 1 MiB L2 per core, 32 MiB L3), chosen by sweeping KC in
    /// 128..512, MC in 96..768 and NC in 1024..8192 on the default <c>encdec bench gemm</c> shapes:
    /// KC = 512 halves the passes over C against KC = 256 (2048^3: 210 against 190 GFLOP/s on one
    /// core); the 512 x 32 B panel (64 KiB) then outgrows L1 but is re-read from L2 at a fraction of
    /// its bandwidth; an MC x KC A block (768 KiB) stays in L2; a KC x NC B block (4 MiB) in L3.
    /// Within +-3% of each other: (384, 288, 2048), (512, 384, 4096), (512, 480, 4096).
    /// </summary>
    public static GemmBlocking For(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Scalar => new(256, 128, 1024),
        _ => new(512, 384, 2048),
    };

    /// <summary>
    /// Splits <paramref name="extent"/> into the fewest blocks of at most <paramref name="limit"/> and
    /// returns the common block size, rounded up to a multiple of <paramref name="unit"/>: 300 with
    /// limit 256 becomes 2 x 150 rather than 256 + 44.
    /// </summary>
    public static int Balanced(int extent, int limit, int unit)
    {
        int blocks = (extent + limit - 1) / limit;
        int size = (extent + blocks - 1) / blocks;
        return (size + unit - 1) / unit * unit;
    }
}
