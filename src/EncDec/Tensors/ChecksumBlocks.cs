using EncDec.Kernels;

namespace EncDec.Tensors;

/// <summary>
/// The blocks of one <see cref="ContentChecksum"/> call and their digests: every tensor's values cut into runs of
/// <see cref="ContentChecksum.BlockFloats"/> (a tensor of length 0 has no block), hashed on the kernel threads. The
/// threads split the blocks by floats rather than by count, so one thread does not get the large matrices while
/// another gets the biases. One reusable object per calling thread, whose arrays only grow: a steady search
/// allocates nothing here.
/// <para>Tensors are held by their storage (or copy) and offset, not by pointers: a pointer would not keep the
/// storage alive, and a caller that drops its last reference to a tensor while the blocks are being hashed would let
/// the collector free its memory for another allocation.</para>
/// </summary>
internal sealed class ChecksumBlocks : IParallelWork
{
    [ThreadStatic] private static ChecksumBlocks? t_current;

    // Per tensor: where its values are and how many. Contiguous tensors are read in place in their storage;
    // strided views are copied (row-major) into an array of their own, read from its start.
    private TensorStorage?[] _storages = new TensorStorage?[16];
    private float[]?[] _copies = new float[]?[16];
    private int[] _offsets = new int[16], _lengths = new int[16];

    // Per block: its tensor, its number within the tensor, and the floats of all blocks before it.
    private int[] _blockTensor = new int[16], _blockIndex = new int[16];
    private long[] _blockStart = new long[16];
    private uint[] _digests = new uint[4 * 16];   // four words per block
    private int _blockCount, _chunks;
    private long _totalFloats;

    /// <summary>The calling thread's object.</summary>
    public static ChecksumBlocks Current => t_current ??= new ChecksumBlocks();

    /// <summary>Tensors in the current call.</summary>
    public int TensorCount { get; private set; }

    /// <summary>The number of values of tensor <paramref name="tensor"/>.</summary>
    public int Length(int tensor) => _lengths[tensor];

    /// <summary>The four digest words of block <paramref name="block"/> (blocks numbered over all tensors in order).</summary>
    public ReadOnlySpan<uint> Digest(int block) => _digests.AsSpan(4 * block, 4);

    /// <summary>The number of blocks a tensor of <paramref name="length"/> values is cut into.</summary>
    public static int BlocksOf(int length) => (int)(((long)length + ContentChecksum.BlockFloats - 1) / ContentChecksum.BlockFloats);

    /// <summary>Lays out the blocks of <paramref name="tensors"/> and computes every digest, on the kernel threads
    /// when there are at least <see cref="ContentChecksum.MinimumParallelFloats"/> floats in all.</summary>
    public void Hash(IEnumerable<Tensor> tensors)
    {
        foreach (var tensor in tensors) Add(tensor);
        _chunks = _totalFloats < ContentChecksum.MinimumParallelFloats ? 1 : Math.Min(Parallelism.ThreadCount, _blockCount);
        if (_chunks <= 1) Execute(0, 1);
        else ParallelRunner.For(_chunks, this, _chunks);
    }

    /// <summary>Forgets the tensors of the call, keeping the arrays for the next one, so that it holds on to no
    /// storage or copy.</summary>
    public void Clear()
    {
        Array.Clear(_storages, 0, TensorCount);
        Array.Clear(_copies, 0, TensorCount);
        TensorCount = _blockCount = 0;
        _totalFloats = 0;
    }

    /// <summary>Hashes the blocks of chunks [begin, end): chunk c holds the blocks that start in floats
    /// [c·total/chunks, (c+1)·total/chunks).</summary>
    public void Execute(int begin, int end)
    {
        for (int block = FirstBlock(begin), stop = FirstBlock(end); block < stop; block++)
        {
            int tensor = _blockTensor[block], index = _blockIndex[block];
            int start = index * ContentChecksum.BlockFloats;
            int length = Math.Min(ContentChecksum.BlockFloats, _lengths[tensor] - start);
            ContentChecksum.HashBlock(Values(tensor, start, length), ((ulong)(uint)tensor << 32) | (uint)index,
                _digests.AsSpan(4 * block, 4));
        }
    }

    private void Add(Tensor tensor)
    {
        int length = tensor.Count, blocks = BlocksOf(length);
        Grow(ref _storages, TensorCount + 1);
        Grow(ref _copies, TensorCount + 1);
        Grow(ref _offsets, TensorCount + 1);
        Grow(ref _lengths, TensorCount + 1);
        if (tensor.IsContiguous) (_storages[TensorCount], _offsets[TensorCount]) = (tensor.Storage, tensor.Offset);
        else _copies[TensorCount] = tensor.ToArray();
        _lengths[TensorCount] = length;
        Grow(ref _blockTensor, _blockCount + blocks);
        Grow(ref _blockIndex, _blockCount + blocks);
        Grow(ref _blockStart, _blockCount + blocks);
        Grow(ref _digests, 4 * (_blockCount + blocks));
        for (int index = 0; index < blocks; index++, _blockCount++)
        {
            _blockTensor[_blockCount] = TensorCount;
            _blockIndex[_blockCount] = index;
            _blockStart[_blockCount] = _totalFloats + (long)index * ContentChecksum.BlockFloats;
        }
        _totalFloats += length;
        TensorCount++;
    }

    /// <summary>Values [start, start + length) of tensor <paramref name="tensor"/> in row-major order.</summary>
    private ReadOnlySpan<float> Values(int tensor, int start, int length) => _copies[tensor] is { } copy
        ? copy.AsSpan(start, length)
        : _storages[tensor]!.Slice(_offsets[tensor] + start, length);

    /// <summary>The first block that starts at or after chunk <paramref name="chunk"/>'s first float (a binary search;
    /// block starts increase strictly, every block holding at least one float).</summary>
    private int FirstBlock(int chunk)
    {
        if (chunk >= _chunks) return _blockCount;
        long boundary = _totalFloats * chunk / _chunks;
        int low = 0, high = _blockCount;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_blockStart[middle] < boundary) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) Array.Resize(ref array, Math.Max(length, 2 * array.Length));
    }
}
