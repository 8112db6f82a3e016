namespace EncDec.Tensors;

public sealed partial class Tensor
{
    /// <summary>True when the storage was allocated for this tensor (not a view of another's).</summary>
    internal bool OwnsStorage { get; set; }

    /// <summary>True when a <see cref="TensorScope"/> will recycle this tensor when it ends.</summary>
    internal bool IsScoped { get; set; }

    /// <summary>Returns storage and object to their pools; called only by the owning scope.</summary>
    internal void Release()
    {
        if (OwnsStorage && _storage is not null) StoragePool.Return(_storage);
        Creator?.OnRelease(this);
        _storage = null;
        OwnsStorage = false;
        IsScoped = false;
        _rank = 0;
        Count = 0;
        Name = null;
        ClearAutograd();
    }
}
