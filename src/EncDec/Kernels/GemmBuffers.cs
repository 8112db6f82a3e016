using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EncDec.Kernels;

/// <summary>
/// One thread's GEMM scratch memory: the packed A block, the packed B block and an edge tile. Arrays
/// live on the pinned object heap (so raw pointers into them stay valid), start on a 64-byte boundary
/// (one cache line, one zmm register) and only ever grow, so that after the first calls of a given
/// size a multiply allocates nothing.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic] private static GemmBuffers? t_current;

    private Region _a, _b, _tile;

    /// <summary>The calling thread's buffers (ParallelRunner workers are long-lived, so are these).</summary>
    public static GemmBuffers Current => t_current ??= new GemmBuffers();

    /// <summary>Packed A block of at least <paramref name="floats"/> elements.</summary>
    public float* A(int floats) => _a.Get(floats);

    /// <summary>Packed B block of at least <paramref name="floats"/> elements.</summary>
    public float* B(int floats) => _b.Get(floats);

    /// <summary>Edge tile of at least <paramref name="floats"/> elements.</summary>
    public float* Tile(int floats) => _tile.Get(floats);

    private struct Region
    {
        private float[]? _array;
        private float* _aligned;
        private int _capacity;

        public float* Get(int floats) => floats <= _capacity ? _aligned : Grow(floats);

        private float* Grow(int floats)
        {
            const int AlignFloats = 16;   // 64 bytes
            _array = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
            nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            _aligned = (float*)((start + 63) & ~(nint)63);
            _capacity = floats;
            return _aligned;
        }
    }
}
