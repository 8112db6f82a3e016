namespace EncDec.Kernels;

/// <summary>The innermost loop of an N-d strided traversal of up to three operands.</summary>
internal interface IStridedKernel
{
    /// <summary>Processes <paramref name="length"/> elements; operand i starts at offset i and steps by stride i.</summary>
    void Inner(int length, int offset0, int stride0, int offset1, int stride1, int offset2, int stride2);
}

/// <summary>
/// Walks an N-d index space over up to three strided operands (an output and two inputs, any of
/// them broadcast with stride 0). Dimensions that are contiguous for every operand are merged
/// first, so a dense or row-broadcast case becomes one or two long inner loops that the kernel can
/// hand to SIMD code.
/// </summary>
internal static class StridedLoop
{
    private const int MaxRank = 8;

    public static void Run<TKernel>(ref TKernel kernel, scoped ReadOnlySpan<int> shape,
        scoped ReadOnlySpan<int> strides0, int offset0,
        scoped ReadOnlySpan<int> strides1, int offset1,
        scoped ReadOnlySpan<int> strides2, int offset2)
        where TKernel : IStridedKernel, allows ref struct
    {
        Span<int> dims = stackalloc int[MaxRank];
        Span<int> s0 = stackalloc int[MaxRank], s1 = stackalloc int[MaxRank], s2 = stackalloc int[MaxRank];
        int rank = Coalesce(shape, strides0, strides1, strides2, dims, s0, s1, s2);
        if (rank < 0) return;                                   // an empty dimension: nothing to do
        if (rank == 0)
        {
            kernel.Inner(1, offset0, 0, offset1, 0, offset2, 0);
            return;
        }
        int inner = rank - 1, innerLength = dims[inner];
        Span<int> counter = stackalloc int[MaxRank];
        counter.Clear();
        int o0 = offset0, o1 = offset1, o2 = offset2;
        while (true)
        {
            kernel.Inner(innerLength, o0, s0[inner], o1, s1[inner], o2, s2[inner]);
            int d = inner - 1;
            while (d >= 0)
            {
                counter[d]++;
                o0 += s0[d]; o1 += s1[d]; o2 += s2[d];
                if (counter[d] < dims[d]) break;
                o0 -= s0[d] * dims[d]; o1 -= s1[d] * dims[d]; o2 -= s2[d] * dims[d];
                counter[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }

    /// <summary>Drops size-1 dimensions and merges neighbours that are contiguous in every operand.
    /// Returns the new rank, or -1 when some dimension is 0.</summary>
    private static int Coalesce(ReadOnlySpan<int> shape, ReadOnlySpan<int> in0, ReadOnlySpan<int> in1, ReadOnlySpan<int> in2,
        Span<int> dims, Span<int> s0, Span<int> s1, Span<int> s2)
    {
        int count = 0;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            int size = shape[i];
            if (size == 0) return -1;
            if (size == 1) continue;
            int a = At(in0, i), b = At(in1, i), c = At(in2, i);
            if (count > 0)
            {
                int j = count - 1;       // the dimension to the right, already placed (stored reversed)
                if (a == s0[j] * dims[j] && b == s1[j] * dims[j] && c == s2[j] * dims[j])
                {
                    dims[j] *= size;
                    continue;
                }
            }
            dims[count] = size; s0[count] = a; s1[count] = b; s2[count] = c;
            count++;
        }
        dims[..count].Reverse(); s0[..count].Reverse(); s1[..count].Reverse(); s2[..count].Reverse();
        return count;
    }

    private static int At(ReadOnlySpan<int> strides, int i) => strides.IsEmpty ? 0 : strides[i];
}
