namespace EncDec.Kernels;

/// <summary>
/// A three-operand strided loop (<see cref="StridedLoop"/>) over a long tensor, cut into slabs of its first dimension,
/// one per thread. The output operand (0) must reach each element once (dense or a permutation, never broadcast), so
/// slabs never meet; every element runs the same kernel code as on one thread, so results do not depend on the split.
/// Callers keep their operands as pointers in a reusable <see cref="Body"/>, because a kernel over spans cannot be
/// handed to another thread.
/// </summary>
internal static class StridedSlabs
{
    /// <summary>Whether a loop over <paramref name="shape"/> is long enough, and has a first dimension to cut.</summary>
    public static bool Worthwhile(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2 || shape[0] < 2) return false;
        long count = 1;
        foreach (int size in shape) count *= size;
        return count <= int.MaxValue && ElementwiseSplit.Worthwhile((int)count);
    }

    /// <summary>The shape, strides and offsets of one loop; <see cref="Slab"/> is the part over first indices
    /// [begin, end). Subclasses run their kernel over it in <see cref="IParallelWork.Execute"/>.</summary>
    public abstract class Body : IParallelWork
    {
        private readonly int[] _shape = new int[Tensors.ShapeBuffer.MaxRank];
        private readonly int[] _strides0 = new int[Tensors.ShapeBuffer.MaxRank];
        private readonly int[] _strides1 = new int[Tensors.ShapeBuffer.MaxRank];
        private readonly int[] _strides2 = new int[Tensors.ShapeBuffer.MaxRank];
        private int _rank, _offset0, _offset1, _offset2;

        /// <summary>Records the loop: operand i starts at offset i and steps by strides i.</summary>
        protected void SetLoop(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides0, int offset0, ReadOnlySpan<int> strides1,
            int offset1, ReadOnlySpan<int> strides2, int offset2)
        {
            _rank = shape.Length;
            shape.CopyTo(_shape);
            strides0.CopyTo(_strides0);
            strides1.CopyTo(_strides1);
            strides2.CopyTo(_strides2);
            (_offset0, _offset1, _offset2) = (offset0, offset1, offset2);
        }

        /// <summary>Runs <paramref name="kernel"/> over first indices [begin, end).</summary>
        protected void Slab<TKernel>(ref TKernel kernel, int begin, int end) where TKernel : IStridedKernel, allows ref struct
        {
            Span<int> slab = stackalloc int[_rank];
            _shape.AsSpan(0, _rank).CopyTo(slab);
            slab[0] = end - begin;
            ReadOnlySpan<int> s0 = _strides0.AsSpan(0, _rank), s1 = _strides1.AsSpan(0, _rank), s2 = _strides2.AsSpan(0, _rank);
            StridedLoop.Run(ref kernel, slab, s0, _offset0 + begin * s0[0], s1, _offset1 + begin * s1[0], s2, _offset2 + begin * s2[0]);
        }

        /// <summary>Runs the loop: split over the threads by first index, then <see cref="Detach"/>.</summary>
        protected void RunSplit()
        {
            try
            {
                ParallelRunner.For(_shape[0], this);
            }
            finally
            {
                Detach();
            }
        }

        /// <summary>Drops the operands' pointers once the loop is done.</summary>
        protected abstract void Detach();

        /// <inheritdoc />
        public abstract void Execute(int begin, int end);
    }
}
