namespace EncDec.Kernels;

/// <summary>
/// A three-operand strided loop (<see cref="StridedLoop"/>) over a long tensor, cut into slabs of its first dimension,
/// one per thread. The output operand (0) must reach each element once (dense or a permutation, never broadcast), so
/// slabs never meet; every element runs the same kernel code as on one thread, so results do not depend on the split.
/// A kernel over spans cannot be handed to another thread, so a <see cref="Body"/> holds the operands pinned while the
/// loop runs and each thread builds its kernel over them.
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

    /// <summary>One loop's operands (each a whole storage, with its strides and offset) and shape. A subclass builds its
    /// kernel over <see cref="Output"/>, <see cref="First"/> and <see cref="Second"/> in <see cref="Execute"/> and
    /// hands it to <see cref="Slab"/>; reuse one instance per calling thread so that a loop allocates nothing.</summary>
    public abstract unsafe class Body : IParallelWork
    {
        private readonly int[] _shape = new int[Tensors.ShapeBuffer.MaxRank];
        private readonly int[] _strides0 = new int[Tensors.ShapeBuffer.MaxRank];
        private readonly int[] _strides1 = new int[Tensors.ShapeBuffer.MaxRank];
        private readonly int[] _strides2 = new int[Tensors.ShapeBuffer.MaxRank];
        private int _rank, _offset0, _offset1, _offset2, _length0, _length1, _length2;
        private float* _operand0, _operand1, _operand2;

        /// <summary>The written operand's storage, valid inside <see cref="Execute"/>.</summary>
        protected Span<float> Output => new(_operand0, _length0);

        /// <summary>The first read operand's storage, valid inside <see cref="Execute"/>.</summary>
        protected ReadOnlySpan<float> First => new(_operand1, _length1);

        /// <summary>The second read operand's storage, valid inside <see cref="Execute"/>.</summary>
        protected ReadOnlySpan<float> Second => new(_operand2, _length2);

        /// <summary>Runs the loop over <paramref name="shape"/>, split over the threads by first index: operand i is
        /// reached at offset i plus the index times strides i. A loop of two operands passes empty strides for the
        /// second read operand, as <see cref="StridedLoop"/> takes them.</summary>
        protected void Run(ReadOnlySpan<int> shape, Span<float> output, ReadOnlySpan<int> strides0, int offset0,
            ReadOnlySpan<float> first, ReadOnlySpan<int> strides1, int offset1,
            ReadOnlySpan<float> second, ReadOnlySpan<int> strides2, int offset2)
        {
            _rank = shape.Length;
            shape.CopyTo(_shape);
            strides0.CopyTo(_strides0);
            strides1.CopyTo(_strides1);
            if (strides2.IsEmpty) Array.Clear(_strides2);
            else strides2.CopyTo(_strides2);
            (_offset0, _offset1, _offset2) = (offset0, offset1, offset2);
            (_length0, _length1, _length2) = (output.Length, first.Length, second.Length);
            fixed (float* p0 = output, p1 = first, p2 = second)
            {
                _operand0 = p0;
                _operand1 = p1;
                _operand2 = p2;
                try
                {
                    ParallelRunner.For(_shape[0], this);
                }
                finally
                {
                    _operand0 = _operand1 = _operand2 = null;   // drop the pinned pointers
                }
            }
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

        /// <inheritdoc />
        public abstract void Execute(int begin, int end);
    }
}
