using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EncDec.Tensors;

/// <summary>
/// A block of float32 memory whose first element is 64-byte aligned (one cache line, one AVX-512
/// vector). Backed by a pinned array on the pinned object heap, so kernels may take raw pointers
/// into it while the garbage collector still owns its lifetime.
/// </summary>
public sealed class TensorStorage
{
    internal const int AlignmentBytes = 64;
    private const int AlignmentFloats = AlignmentBytes / sizeof(float);

    private readonly float[] _array;
    private readonly int _start;

    internal TensorStorage(int capacity)
    {
        Capacity = capacity;
        _array = GC.AllocateUninitializedArray<float>(capacity + AlignmentFloats, pinned: true);
        _start = AlignmentPadding(_array);
    }

    /// <summary>Number of floats this storage holds.</summary>
    public int Capacity { get; }

    /// <summary>The floats [offset, offset + length).</summary>
    public Span<float> Slice(int offset, int length) => new(_array, _start + offset, length);

    /// <summary>All <see cref="Capacity"/> floats.</summary>
    public Span<float> AsSpan() => new(_array, _start, Capacity);

    /// <summary>Pointer to element <paramref name="offset"/>; valid for the storage's lifetime (the array is pinned).</summary>
    internal unsafe float* Pointer(int offset) =>
        (float*)Unsafe.AsPointer(ref _array[_start + offset]);

    private static unsafe int AlignmentPadding(float[] array)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        nuint misalignment = address % AlignmentBytes;
        return misalignment == 0 ? 0 : (int)((AlignmentBytes - misalignment) / sizeof(float));
    }
}
